package stacks

import (
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudfront"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudfrontorigins"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awswafv2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/crypto-oms/crypto-oms/hotpath/estate"
)

// Frontend holds the dashboard bucket and its distribution.
type Frontend struct {
	Stack        awscdk.Stack
	Bucket       awss3.Bucket
	Distribution awscloudfront.Distribution
}

// NewFrontend builds the private, KMS-encrypted dashboard bucket, readable only by CloudFront through
// origin access control, and a distribution whose /api/* and /ws behaviours go to the ALB by its
// certificate's domain name (so the TLS handshake to the origin validates), uncached.
func NewFrontend(scope constructs.Construct, id string, props *awscdk.StackProps, p estate.Profile) *Frontend {
	stack := awscdk.NewStack(scope, jsii.String(id), props)
	f := &Frontend{Stack: stack}
	s3Key := key(stack, "S3Key", "s3", "dashboard bucket")
	logs := awss3.NewBucket(stack, jsii.String("AccessLogs"), &awss3.BucketProps{
		Encryption:        awss3.BucketEncryption_S3_MANAGED, // S3 server access and CloudFront standard logs need SSE-S3
		BlockPublicAccess: awss3.BlockPublicAccess_BLOCK_ALL(),
		EnforceSSL:        jsii.Bool(true),
		// CloudFront standard logging writes with an ACL.
		ObjectOwnership: awss3.ObjectOwnership_BUCKET_OWNER_PREFERRED,
		RemovalPolicy:   awscdk.RemovalPolicy_RETAIN,
		LifecycleRules:  &[]*awss3.LifecycleRule{{Expiration: awscdk.Duration_Days(jsii.Number(float64(p.Logs.RetentionDays)))}},
	})
	suppress(logs, map[string]string{
		"AwsSolutions-S1": "This bucket is the access-log destination itself; logging it to itself would loop.",
	})
	f.Bucket = awss3.NewBucket(stack, jsii.String("Dashboard"), &awss3.BucketProps{
		Encryption:             awss3.BucketEncryption_KMS,
		EncryptionKey:          s3Key,
		BucketKeyEnabled:       jsii.Bool(true),
		BlockPublicAccess:      awss3.BlockPublicAccess_BLOCK_ALL(),
		EnforceSSL:             jsii.Bool(true),
		Versioned:              jsii.Bool(true),
		ServerAccessLogsBucket: logs,
		ServerAccessLogsPrefix: jsii.String("s3/dashboard/"),
		RemovalPolicy:          awscdk.RemovalPolicy_RETAIN,
	})

	api := awscloudfrontorigins.NewHttpOrigin(jsii.String(p.ALB.DomainName), &awscloudfrontorigins.HttpOriginProps{
		ProtocolPolicy:     awscloudfront.OriginProtocolPolicy_HTTPS_ONLY,
		OriginSslProtocols: &[]awscloudfront.OriginSslPolicy{awscloudfront.OriginSslPolicy_TLS_V1_2},
		ReadTimeout:        awscdk.Duration_Seconds(jsii.Number(60)),
	})
	apiBehavior := &awscloudfront.BehaviorOptions{
		Origin:               api,
		ViewerProtocolPolicy: awscloudfront.ViewerProtocolPolicy_HTTPS_ONLY,
		AllowedMethods:       awscloudfront.AllowedMethods_ALLOW_ALL(),
		CachePolicy:          awscloudfront.CachePolicy_CACHING_DISABLED(),
		// Forward auth headers, query strings and the WebSocket upgrade; Host stays the ALB's name.
		OriginRequestPolicy: awscloudfront.OriginRequestPolicy_ALL_VIEWER_EXCEPT_HOST_HEADER(),
	}
	dp := &awscloudfront.DistributionProps{
		Comment: jsii.String("crypto-oms dashboard " + strings.ToLower(id)),
		DefaultBehavior: &awscloudfront.BehaviorOptions{
			Origin:               awscloudfrontorigins.S3BucketOrigin_WithOriginAccessControl(f.Bucket, nil),
			ViewerProtocolPolicy: awscloudfront.ViewerProtocolPolicy_REDIRECT_TO_HTTPS,
			CachePolicy:          awscloudfront.CachePolicy_CACHING_OPTIMIZED(),
		},
		AdditionalBehaviors: &map[string]*awscloudfront.BehaviorOptions{"/api/*": apiBehavior, "/ws": apiBehavior},
		DefaultRootObject:   jsii.String("index.html"),
		// The dashboard is a single-page app: unknown paths render index.html.
		ErrorResponses: &[]*awscloudfront.ErrorResponse{
			{HttpStatus: jsii.Number(403), ResponseHttpStatus: jsii.Number(200), ResponsePagePath: jsii.String("/index.html")},
			{HttpStatus: jsii.Number(404), ResponseHttpStatus: jsii.Number(200), ResponsePagePath: jsii.String("/index.html")},
		},
		PriceClass:    priceClass(p.Frontend.PriceClass),
		EnableLogging: jsii.Bool(true),
		LogBucket:     logs,
		LogFilePrefix: jsii.String("cloudfront/"),
		HttpVersion:   awscloudfront.HttpVersion_HTTP2_AND_3,
	}
	// A CloudFront web ACL must live in us-east-1; attach one when the estate is there.
	if p.Region == "us-east-1" {
		acl := awswafv2.NewCfnWebACL(stack, jsii.String("WebAcl"), &awswafv2.CfnWebACLProps{
			Scope:         jsii.String("CLOUDFRONT"),
			DefaultAction: &awswafv2.CfnWebACL_DefaultActionProperty{Allow: map[string]any{}},
			VisibilityConfig: &awswafv2.CfnWebACL_VisibilityConfigProperty{
				CloudWatchMetricsEnabled: jsii.Bool(true), SampledRequestsEnabled: jsii.Bool(true), MetricName: jsii.String("dashboard-acl"),
			},
			Rules: &[]any{&awswafv2.CfnWebACL_RuleProperty{
				Name: jsii.String("RateLimitPerIp"), Priority: jsii.Number(0),
				Action: &awswafv2.CfnWebACL_RuleActionProperty{Block: map[string]any{}},
				Statement: &awswafv2.CfnWebACL_StatementProperty{RateBasedStatement: &awswafv2.CfnWebACL_RateBasedStatementProperty{
					Limit: jsii.Number(float64(p.WAF.RateLimitPer5Min)), AggregateKeyType: jsii.String("IP"),
				}},
				VisibilityConfig: &awswafv2.CfnWebACL_VisibilityConfigProperty{
					CloudWatchMetricsEnabled: jsii.Bool(true), SampledRequestsEnabled: jsii.Bool(true), MetricName: jsii.String("dashboard-rate"),
				},
			}},
		})
		dp.WebAclId = acl.AttrArn()
	}
	f.Distribution = awscloudfront.NewDistribution(stack, jsii.String("Distribution"), dp)
	// The first deploy cannot name the distribution in the S3 key's policy (key, bucket and distribution
	// would form a cycle), so CDK scopes it to this account's distributions; docs/deploy.md narrows it.
	awscdk.Annotations_Of(stack).AcknowledgeWarning(jsii.String("@aws-cdk/aws-cloudfront-origins:wildcardKeyPolicyForOac"),
		jsii.String("scoped to this account's distributions; narrowed after the first deploy (docs/deploy.md)"))
	suppress(f.Distribution, map[string]string{
		"AwsSolutions-CFR1": "No geo restriction: traders are global; access control is API-key/HMAC at the gateway.",
		"AwsSolutions-CFR4": "The distribution uses the default *.cloudfront.net certificate, for which CloudFront fixes the viewer TLS policy; a custom domain with TLSv1.2_2021 is a follow-up once the dashboard has its own name.",
		"AwsSolutions-CFR2": "A CLOUDFRONT-scope web ACL is attached when the estate is in us-east-1 (both shipped profiles are).",
	})
	suppressCDKHelpers(stack)

	awscdk.NewCfnOutput(stack, jsii.String("DashboardUrl"), &awscdk.CfnOutputProps{
		Value: awscdk.Fn_Join(jsii.String(""), jsii.Strings("https://", *f.Distribution.DistributionDomainName())), Description: jsii.String("Dashboard URL"),
	})
	awscdk.NewCfnOutput(stack, jsii.String("DashboardBucket"), &awscdk.CfnOutputProps{
		Value: f.Bucket.BucketName(), Description: jsii.String("Upload frontend/dist here"),
	})
	awscdk.NewCfnOutput(stack, jsii.String("DistributionId"), &awscdk.CfnOutputProps{
		Value: f.Distribution.DistributionId(), Description: jsii.String("Invalidate after an upload"),
	})
	return f
}

// priceClass maps the CloudFront price class name in sizing.json ("PriceClass_100") to CDK's enum,
// whose Go members are named differently ("PRICE_CLASS_100").
func priceClass(name string) awscloudfront.PriceClass {
	switch name {
	case "PriceClass_100":
		return awscloudfront.PriceClass_PRICE_CLASS_100
	case "PriceClass_200":
		return awscloudfront.PriceClass_PRICE_CLASS_200
	default:
		return awscloudfront.PriceClass_PRICE_CLASS_ALL
	}
}
