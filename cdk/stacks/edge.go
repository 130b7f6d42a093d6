package stacks

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatchactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awseksv2"
	elbv2 "github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancingv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancingv2targets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambdaeventsources"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awswafv2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/crypto-oms/crypto-oms/hotpath/estate"
)

// FunctionAccess is what one Lambda may touch, beyond its own logs and VPC networking.
type FunctionAccess struct {
	// Read are the topics its event source mapping consumes; Write the topics the function produces
	// to itself (MSK IAM, with the function's role).
	Read, Write []string
	Docdb       bool // reads the DocumentDB master secret (OMS_DOCDB_SECRET_ARN)
	APIKeys     bool // reads the bootstrap API keys secret (OMS_API_KEYS_SECRET_ARN)
	KEK         bool // reads the key-encryption secret (OMS_KEY_ENCRYPTION_SECRET_ARN)
	Token       bool // reads the token secret (OMS_TOKEN_SECRET_ARN): verifies the gateway's browser sessions
}

// LambdaAccess is the least-privilege table of the edges (DESIGN §2): projector and market-ingest consume
// through their event source mappings (failed batches go to an SQS queue) and write records they cannot
// project to the dead-letter topic; admin publishes to control and seals API secrets; order-query and
// admin verify signed requests, so they read the API keys and the key-encryption secret, and browser
// sessions the gateway issues, so they read the token secret.
var LambdaAccess = map[string]FunctionAccess{
	"projector":     {Read: []string{"executions"}, Write: []string{"dlq"}, Docdb: true},
	"order-query":   {Docdb: true, APIKeys: true, KEK: true, Token: true},
	"market-ingest": {Read: []string{"prices"}, Write: []string{"dlq"}, Docdb: true},
	"market-query":  {Docdb: true},
	"admin":         {Write: []string{"control"}, Docdb: true, APIKeys: true, KEK: true, Token: true},
}

// LambdaEnvironment is the environment of one function in AWS, what its main reads (each
// lambdas/<fn>/cmd/main.go documents it; TestLambdaEnvironmentMatchesMains holds the two together):
// the store and the secrets as ARNs, never values, and Kafka over TLS + IAM when it produces.
func LambdaEnvironment(acc FunctionAccess, deadLetterTopic string, docdbSecret, docdbEndpoint, apiKeysSecret, kekSecret, tokenSecret, brokers *string) map[string]*string {
	env := map[string]*string{}
	if acc.Docdb {
		env["OMS_DOCDB_SECRET_ARN"] = docdbSecret
		env["OMS_DOCDB_ENDPOINT"] = docdbEndpoint
	}
	if acc.APIKeys {
		env["OMS_API_KEYS_SECRET_ARN"] = apiKeysSecret
	}
	if acc.KEK {
		env["OMS_KEY_ENCRYPTION_SECRET_ARN"] = kekSecret
	}
	if acc.Token {
		env["OMS_TOKEN_SECRET_ARN"] = tokenSecret
	}
	if len(acc.Write) > 0 {
		env["OMS_KAFKA_BROKERS"] = brokers
		// MSK accepts only TLS + SASL/AWS_MSK_IAM; the function signs with its role.
		env["OMS_KAFKA_AUTH"] = jsii.String("aws-msk-iam")
	}
	if slices.Contains(acc.Write, deadLetterTopic) {
		env["OMS_DLQ_TOPIC"] = jsii.String(deadLetterTopic)
	}
	return env
}

// EdgeInput is what the edge stack builds from.
type EdgeInput struct {
	Profile estate.Profile
	Routes  estate.Routes
	Assets  map[string]string // function -> directory holding bootstrap
	Network *Network
	Data    *Data
	Compute *Compute
}

// Edge holds the Lambdas, the ALB and the alarms.
type Edge struct {
	Stack         awscdk.Stack
	Functions     map[string]awslambda.Function
	ALB           elbv2.ApplicationLoadBalancer
	HTTPS         elbv2.ApplicationListener
	TargetGroups  map[string]elbv2.ApplicationTargetGroup // by routes.json target name
	RuleIDs       map[string]string                       // route name -> construct id of its listener rule
	AlarmTopic    awssns.Topic
	FailureQueue  awssqs.Queue
	GatewayTarget elbv2.ApplicationTargetGroup
}

// NewEdge builds the Lambdas (arm64, provided.al2023, in the VPC, one scoped role each), their MSK event
// source mappings from routes.json consumers, the ALB with one listener rule per route, the regional
// WAF, and the alarms.
func NewEdge(scope constructs.Construct, id string, props *awscdk.StackProps, in EdgeInput) *Edge {
	stack := awscdk.NewStack(scope, jsii.String(id), props)
	p, n, d := in.Profile, in.Network, in.Data
	e := &Edge{Stack: stack, Functions: map[string]awslambda.Function{}, TargetGroups: map[string]elbv2.ApplicationTargetGroup{}, RuleIDs: map[string]string{}}
	name := strings.ToLower(id)

	// --- Lambdas ---
	for _, fn := range estate.Functions {
		size := p.Lambdas[fn]
		acc := LambdaAccess[fn]
		logs := awslogs.NewLogGroup(stack, jsii.String("Logs-"+fn), &awslogs.LogGroupProps{
			LogGroupName:  jsii.String("/aws/lambda/" + name + "-" + fn),
			Retention:     retention(p.Logs.RetentionDays),
			EncryptionKey: n.LogsKey,
			RemovalPolicy: awscdk.RemovalPolicy_DESTROY,
		})
		role := awsiam.NewRole(stack, jsii.String("Role-"+fn), &awsiam.RoleProps{
			AssumedBy:   awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil),
			Description: jsii.String("crypto-oms Lambda " + fn),
		})
		role.AddToPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Actions: jsii.Strings("logs:CreateLogStream", "logs:PutLogEvents"), Resources: &[]*string{logs.LogGroupArn(), jsii.String(*logs.LogGroupArn() + ":*")},
		}))
		// ENI management for a VPC-attached function has no resource-level scoping for Create/Describe.
		role.AddToPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Actions: jsii.Strings("ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface",
				"ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeVpcs"),
			Resources: jsii.Strings("*"),
		}))
		env := LambdaEnvironment(acc, in.Routes.DeadLetterTopic, d.Docdb.Secret().SecretArn(), d.Docdb.ClusterEndpoint().SocketAddress(),
			in.Compute.APIKeys.SecretArn(), d.KEK.SecretArn(), d.Token.SecretArn(), d.Brokers)
		if len(acc.Read)+len(acc.Write) > 0 {
			for _, st := range d.KafkaStatements(acc.Read, acc.Write, []string{fn}, "") {
				role.AddToPolicy(st)
			}
		}
		if acc.Docdb {
			secretRead(role, d.Docdb.Secret().SecretArn(), d.SecretsKey.KeyArn())
		}
		if acc.APIKeys {
			secretRead(role, in.Compute.APIKeys.SecretArn(), d.SecretsKey.KeyArn())
		}
		if acc.KEK {
			secretRead(role, d.KEK.SecretArn(), d.SecretsKey.KeyArn())
		}
		if acc.Token {
			secretRead(role, d.Token.SecretArn(), d.SecretsKey.KeyArn())
		}
		f := awslambda.NewFunction(stack, jsii.String("Fn-"+fn), &awslambda.FunctionProps{
			FunctionName:                 jsii.String(name + "-" + fn),
			Runtime:                      awslambda.Runtime_PROVIDED_AL2023(),
			Architecture:                 awslambda.Architecture_ARM_64(),
			Handler:                      jsii.String("bootstrap"),
			Code:                         awslambda.Code_FromAsset(jsii.String(in.Assets[fn]), nil),
			MemorySize:                   jsii.Number(float64(size.MemoryMiB)),
			Timeout:                      awscdk.Duration_Seconds(jsii.Number(float64(size.TimeoutSeconds))),
			ReservedConcurrentExecutions: jsii.Number(float64(size.ReservedConcurrency)),
			Role:                         role,
			Vpc:                          n.Vpc,
			VpcSubnets:                   &awsec2.SubnetSelection{SubnetType: awsec2.SubnetType_PRIVATE_WITH_EGRESS},
			SecurityGroups:               &[]awsec2.ISecurityGroup{n.LambdaSG},
			LogGroup:                     logs,
			LoggingFormat:                awslambda.LoggingFormat_JSON,
			Tracing:                      awslambda.Tracing_ACTIVE,
			Environment:                  &env,
			Description:                  jsii.String("crypto-oms " + fn),
		})
		e.Functions[fn] = f
		suppress(role, map[string]string{
			"AwsSolutions-IAM4": "Only on the two MSK consumers: CDK's ManagedKafkaEventSource attaches AWSLambdaMSKExecutionRole, the AWS-maintained set the MSK poller needs (DescribeClusterV2, GetBootstrapBrokers, ENIs); data-plane access is scoped to named topics and groups above.",
			"AwsSolutions-IAM5": "Wildcards are limited to ENI management (no resource-level permissions in EC2 for these actions), the log group's own streams, consumer groups named after the function, and what CDK grants for KMS/X-Ray.",
		})
	}
	// --- MSK event source mappings, from routes.json consumers ---
	// Batches that keep failing go to an encrypted SQS queue. A Kafka-topic destination would need
	// provisioned pollers, and CloudFormation's schema rejects "kafka://dlq" (shorter than 12 chars).
	edgeKey := awskms.NewKey(stack, jsii.String("EdgeKey"), &awskms.KeyProps{
		Description: jsii.String("crypto-oms " + name + " alarm topic and event-source failure queue"), EnableKeyRotation: jsii.Bool(true),
		RemovalPolicy: awscdk.RemovalPolicy_DESTROY,
	})
	e.FailureQueue = awssqs.NewQueue(stack, jsii.String("EsmFailures"), &awssqs.QueueProps{
		Encryption: awssqs.QueueEncryption_KMS, EncryptionMasterKey: edgeKey, EnforceSSL: jsii.Bool(true),
		RetentionPeriod: awscdk.Duration_Days(jsii.Number(14)),
	})
	suppress(e.FailureQueue, map[string]string{
		"AwsSolutions-SQS3": "This queue is itself the on-failure destination of the event source mappings; it holds failure records for replay and needs no DLQ of its own.",
	})
	for _, c := range in.Routes.Consumers {
		src := awslambdaeventsources.NewManagedKafkaEventSource(&awslambdaeventsources.ManagedKafkaEventSourceProps{
			ClusterArn:        d.MskCluster.AttrArn(),
			Topic:             jsii.String(c.Topic),
			BatchSize:         jsii.Number(float64(c.BatchSize)),
			MaxBatchingWindow: awscdk.Duration_Seconds(jsii.Number(float64(c.MaxBatchingWindowSeconds))),
			StartingPosition:  awslambda.StartingPosition(c.StartingPosition),
			// Named after the function so its IAM policy can name the group.
			ConsumerGroupId: jsii.String(c.Function),
			OnFailure:       awslambdaeventsources.NewSqsDlq(e.FailureQueue),
		})
		e.Functions[c.Function].AddEventSource(src)
	}

	// --- ALB ---
	logBucket := awss3.NewBucket(stack, jsii.String("AlbLogs"), &awss3.BucketProps{
		// ALB access logs support SSE-S3 only.
		Encryption:        awss3.BucketEncryption_S3_MANAGED,
		BlockPublicAccess: awss3.BlockPublicAccess_BLOCK_ALL(),
		EnforceSSL:        jsii.Bool(true),
		RemovalPolicy:     awscdk.RemovalPolicy_RETAIN,
		LifecycleRules:    &[]*awss3.LifecycleRule{{Expiration: awscdk.Duration_Days(jsii.Number(float64(p.Logs.RetentionDays)))}},
	})
	suppress(logBucket, map[string]string{
		"AwsSolutions-S1": "This bucket is the access-log destination itself; logging it to itself would loop.",
	})
	e.ALB = elbv2.NewApplicationLoadBalancer(stack, jsii.String("Alb"), &elbv2.ApplicationLoadBalancerProps{
		Vpc:                     n.Vpc,
		InternetFacing:          jsii.Bool(true),
		VpcSubnets:              &awsec2.SubnetSelection{SubnetType: awsec2.SubnetType_PUBLIC},
		SecurityGroup:           n.AlbSG,
		IdleTimeout:             awscdk.Duration_Seconds(jsii.Number(float64(p.ALB.IdleTimeoutSeconds))),
		DropInvalidHeaderFields: jsii.Bool(true),
		DeletionProtection:      jsii.Bool(p.DeletionProtection),
	})
	e.ALB.LogAccessLogs(logBucket, jsii.String("alb"))
	e.HTTPS = e.ALB.AddListener(jsii.String("Https"), &elbv2.BaseApplicationListenerProps{
		Port:         jsii.Number(443),
		Protocol:     elbv2.ApplicationProtocol_HTTPS,
		Certificates: &[]elbv2.IListenerCertificate{elbv2.ListenerCertificate_FromArn(jsii.String(p.ALB.CertificateARN))},
		Open:         jsii.Bool(false), // the ALB security group already admits 443; no duplicate rule
		DefaultAction: elbv2.ListenerAction_FixedResponse(jsii.Number(404), &elbv2.FixedResponseOptions{
			ContentType: jsii.String("application/json"), MessageBody: jsii.String(`{"error":{"code":"NOT_FOUND"}}`),
		}),
	})
	// The policy name from sizing.json goes into the template verbatim: CDK's SslPolicy enum names its
	// members differently from the ELB policy names that Terraform and operators use.
	e.HTTPS.Node().DefaultChild().(elbv2.CfnListener).AddPropertyOverride(jsii.String("SslPolicy"), p.ALB.SSLPolicy)
	e.ALB.AddListener(jsii.String("HttpRedirect"), &elbv2.BaseApplicationListenerProps{
		Port: jsii.Number(80), Protocol: elbv2.ApplicationProtocol_HTTP, Open: jsii.Bool(false),
		DefaultAction: elbv2.ListenerAction_Redirect(&elbv2.RedirectOptions{
			Protocol: jsii.String("HTTPS"), Port: jsii.String("443"), Permanent: jsii.Bool(true),
		}),
	})
	for _, tname := range slices.Sorted(maps.Keys(in.Routes.Targets)) {
		t := in.Routes.Targets[tname]
		switch t.Kind {
		case "eks":
			w := p.Workloads[t.Workload]
			// IP targets: the AWS Load Balancer Controller registers the gateway pods through a
			// TargetGroupBinding (k8s manifests), so pods, not nodes, are the targets.
			e.TargetGroups[tname] = elbv2.NewApplicationTargetGroup(stack, jsii.String("Tg-"+tname), &elbv2.ApplicationTargetGroupProps{
				Vpc: n.Vpc, TargetType: elbv2.TargetType_IP, Protocol: elbv2.ApplicationProtocol_HTTP, Port: jsii.Number(float64(w.Port)),
				HealthCheck:         &elbv2.HealthCheck{Path: jsii.String("/health"), HealthyHttpCodes: jsii.String("200")},
				DeregistrationDelay: awscdk.Duration_Seconds(jsii.Number(30)),
			})
		case "lambda":
			e.TargetGroups[tname] = elbv2.NewApplicationTargetGroup(stack, jsii.String("Tg-"+tname), &elbv2.ApplicationTargetGroupProps{
				TargetType: elbv2.TargetType_LAMBDA,
				Targets:    &[]elbv2.IApplicationLoadBalancerTarget{awselasticloadbalancingv2targets.NewLambdaTarget(e.Functions[t.Function])},
			})
		}
	}
	e.GatewayTarget = e.TargetGroups["gateway"]
	for _, rt := range in.Routes.Routes {
		conds := []elbv2.ListenerCondition{elbv2.ListenerCondition_PathPatterns(jsii.Strings(rt.Paths...))}
		if len(rt.Methods) > 0 {
			conds = append(conds, elbv2.ListenerCondition_HttpRequestMethods(jsii.Strings(rt.Methods...)))
		}
		rid := "Rule-" + rt.Name
		elbv2.NewApplicationListenerRule(stack, jsii.String(rid), &elbv2.ApplicationListenerRuleProps{
			Listener:   e.HTTPS,
			Priority:   jsii.Number(float64(rt.Priority)),
			Conditions: &conds,
			Action:     elbv2.ListenerAction_Forward(&[]elbv2.IApplicationTargetGroup{e.TargetGroups[rt.Target]}, nil),
		})
		e.RuleIDs[rt.Name] = rid
	}

	// The AWS Load Balancer Controller only registers gateway pods into this target group.
	lbc := awsiam.NewRole(stack, jsii.String("Role-lb-controller"), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewSessionTagsPrincipal(awsiam.NewServicePrincipal(jsii.String("pods.eks.amazonaws.com"), nil)),
		Description: jsii.String("AWS Load Balancer Controller, TargetGroupBinding for the gateway only"),
	})
	lbc.AddToPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:   jsii.Strings("elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"),
		Resources: &[]*string{e.GatewayTarget.TargetGroupArn()},
	}))
	lbc.AddToPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		// Describe calls have no resource-level permissions.
		Actions: jsii.Strings("elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetHealth",
			"elasticloadbalancing:DescribeTargetGroupAttributes", "ec2:DescribeAvailabilityZones",
			"elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeTags",
			"ec2:DescribeInstances", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs"),
		Resources: jsii.Strings("*"),
	}))
	suppress(lbc, map[string]string{"AwsSolutions-IAM5": "ELB and EC2 Describe* actions support no resource-level permissions; Register/Deregister are scoped to the gateway target group."})
	awseksv2.NewCfnPodIdentityAssociation(stack, jsii.String("PodIdentity-lb-controller"), &awseksv2.CfnPodIdentityAssociationProps{
		ClusterName: in.Compute.Cluster.ClusterName(), Namespace: jsii.String("kube-system"),
		ServiceAccount: jsii.String(LBControllerServiceAccount), RoleArn: lbc.RoleArn(),
	})

	// --- WAF ---
	visibility := func(metric string) *awswafv2.CfnWebACL_VisibilityConfigProperty {
		return &awswafv2.CfnWebACL_VisibilityConfigProperty{
			CloudWatchMetricsEnabled: jsii.Bool(true), SampledRequestsEnabled: jsii.Bool(true), MetricName: jsii.String(metric),
		}
	}
	managed := func(prio int, rule string) *awswafv2.CfnWebACL_RuleProperty {
		return &awswafv2.CfnWebACL_RuleProperty{
			Name: jsii.String(rule), Priority: jsii.Number(float64(prio)),
			OverrideAction: &awswafv2.CfnWebACL_OverrideActionProperty{None: map[string]any{}},
			Statement: &awswafv2.CfnWebACL_StatementProperty{ManagedRuleGroupStatement: &awswafv2.CfnWebACL_ManagedRuleGroupStatementProperty{
				VendorName: jsii.String("AWS"), Name: jsii.String(rule),
			}},
			VisibilityConfig: visibility(rule),
		}
	}
	acl := awswafv2.NewCfnWebACL(stack, jsii.String("WebAcl"), &awswafv2.CfnWebACLProps{
		Scope:            jsii.String("REGIONAL"),
		DefaultAction:    &awswafv2.CfnWebACL_DefaultActionProperty{Allow: map[string]any{}},
		VisibilityConfig: visibility(name + "-acl"),
		Rules: &[]any{
			&awswafv2.CfnWebACL_RuleProperty{
				Name: jsii.String("RateLimitPerIp"), Priority: jsii.Number(0),
				Action: &awswafv2.CfnWebACL_RuleActionProperty{Block: map[string]any{}},
				Statement: &awswafv2.CfnWebACL_StatementProperty{RateBasedStatement: &awswafv2.CfnWebACL_RateBasedStatementProperty{
					Limit: jsii.Number(float64(p.WAF.RateLimitPer5Min)), AggregateKeyType: jsii.String("IP"),
				}},
				VisibilityConfig: visibility("RateLimitPerIp"),
			},
			managed(1, "AWSManagedRulesAmazonIpReputationList"),
			managed(2, "AWSManagedRulesKnownBadInputsRuleSet"),
			managed(3, "AWSManagedRulesCommonRuleSet"),
		},
	})
	awswafv2.NewCfnWebACLAssociation(stack, jsii.String("WebAclAlb"), &awswafv2.CfnWebACLAssociationProps{
		ResourceArn: e.ALB.LoadBalancerArn(), WebAclArn: acl.AttrArn(),
	})

	// --- Alarms ---
	// CloudWatch publishes alarm notifications to the encrypted topic with this key.
	edgeKey.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String("cloudwatch.amazonaws.com"), nil)},
		Actions:    jsii.Strings("kms:Decrypt", "kms:GenerateDataKey*"), Resources: jsii.Strings("*"),
	}), nil)
	e.AlarmTopic = awssns.NewTopic(stack, jsii.String("Alarms"), &awssns.TopicProps{
		DisplayName: jsii.String("crypto-oms " + name + " alarms"), MasterKey: edgeKey, EnforceSSL: jsii.Bool(true),
	})
	action := awscloudwatchactions.NewSnsAction(e.AlarmTopic)
	five := awscdk.Duration_Minutes(jsii.Number(5))
	alarm := func(id, desc string, m awscloudwatch.IMetric, threshold float64, periods int) {
		a := awscloudwatch.NewAlarm(stack, jsii.String(id), &awscloudwatch.AlarmProps{
			Metric: m, Threshold: jsii.Number(threshold), EvaluationPeriods: jsii.Number(float64(periods)),
			ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
			TreatMissingData:   awscloudwatch.TreatMissingData_NOT_BREACHING,
			AlarmDescription:   jsii.String(desc),
		})
		a.AddAlarmAction(action)
	}
	metric := func(ns, mname, stat string, dims map[string]*string) awscloudwatch.Metric {
		return awscloudwatch.NewMetric(&awscloudwatch.MetricProps{
			Namespace: jsii.String(ns), MetricName: jsii.String(mname), Statistic: jsii.String(stat), DimensionsMap: &dims, Period: five,
		})
	}
	// Consumer lag: the processor's group on orders (MSK metric) and each event source mapping.
	alarm("ProcessorLag", "processor consumer group lags on orders", metric("AWS/Kafka", "MaxOffsetLag", "Maximum", map[string]*string{
		"Cluster Name": jsii.String(d.MskClusterName), "Consumer Group": jsii.String("processor"), "Topic": jsii.String("orders"),
	}), float64(p.Alarms.ConsumerLagMessages), 3)
	for _, c := range in.Routes.Consumers {
		alarm("Lag-"+c.Function, c.Function+" event source mapping lags on "+c.Topic,
			metric("AWS/Lambda", "OffsetLag", "Maximum", map[string]*string{"FunctionName": e.Functions[c.Function].FunctionName()}),
			float64(p.Alarms.ConsumerLagMessages), 3)
	}
	lb := map[string]*string{"LoadBalancer": e.ALB.LoadBalancerFullName()}
	alarm("Http5xxRate", "share of ALB requests answered 5xx (%)", awscloudwatch.NewMathExpression(&awscloudwatch.MathExpressionProps{
		// RequestCount is absent, not 0, in an idle period; filling it with 1 keeps the ratio defined.
		Expression: jsii.String("100 * (FILL(elb, 0) + FILL(target, 0)) / FILL(requests, 1)"),
		UsingMetrics: &map[string]awscloudwatch.IMetric{
			"elb":      metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "Sum", lb),
			"target":   metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Sum", lb),
			"requests": metric("AWS/ApplicationELB", "RequestCount", "Sum", lb),
		},
		Period: five, Label: jsii.String("5xx %"),
	}), float64(p.Alarms.HTTP5xxPercent), 2)
	alarm("P99Latency", "ALB target response time p99 (seconds)", metric("AWS/ApplicationELB", "TargetResponseTime", "p99", lb),
		float64(p.Alarms.P99LatencyMs)/1000, 3)
	// Records reaching the dead-letter topic: MSK reports per topic and broker, so add up the brokers.
	dlq := map[string]awscloudwatch.IMetric{}
	var terms []string
	for b := 1; b <= p.MSK.BrokerCount; b++ {
		id := fmt.Sprintf("b%d", b)
		dlq[id] = metric("AWS/Kafka", "MessagesInPerSec", "Sum", map[string]*string{
			"Cluster Name": jsii.String(d.MskClusterName), "Broker ID": jsii.String(fmt.Sprint(b)), "Topic": jsii.String(in.Routes.DeadLetterTopic),
		})
		terms = append(terms, "FILL("+id+", 0)")
	}
	alarm("DlqDepth", "records written to the dead-letter topic", awscloudwatch.NewMathExpression(&awscloudwatch.MathExpressionProps{
		Expression: jsii.String(strings.Join(terms, " + ")), UsingMetrics: &dlq, Period: five, Label: jsii.String("dlq records/s"),
	}), float64(p.Alarms.DLQMessages), 1)
	// Broker disks: `executions` is kept forever (PermanentTopics), so every broker's data volume only
	// fills up. MSK reports the share in use per broker; one alarm each, since any full broker stops
	// its partitions.
	for b := 1; b <= p.MSK.BrokerCount; b++ {
		alarm(fmt.Sprintf("MskDiskUsed-%d", b), fmt.Sprintf("MSK broker %d data-log disk used (%%)", b),
			metric("AWS/Kafka", "KafkaDataLogsDiskUsed", "Maximum", map[string]*string{
				"Cluster Name": jsii.String(d.MskClusterName), "Broker ID": jsii.String(fmt.Sprint(b)),
			}), float64(p.Alarms.MSKDiskUsedPercent), 1)
	}
	alarm("EsmFailureRecords", "event-source batches that failed into the failure queue",
		e.FailureQueue.MetricApproximateNumberOfMessagesVisible(&awscloudwatch.MetricOptions{Period: five, Statistic: jsii.String("Maximum")}),
		float64(p.Alarms.DLQMessages), 1)
	for _, fn := range estate.Functions {
		alarm("Errors-"+fn, fn+" Lambda errors", e.Functions[fn].MetricErrors(&awscloudwatch.MetricOptions{Period: five, Statistic: jsii.String("Sum")}),
			float64(p.Alarms.LambdaErrors), 1)
	}

	suppressCDKHelpers(stack)
	out := func(id string, v *string, desc string) {
		awscdk.NewCfnOutput(stack, jsii.String(id), &awscdk.CfnOutputProps{Value: v, Description: jsii.String(desc)})
	}
	out("AlbDnsName", e.ALB.LoadBalancerDnsName(), "Point "+p.ALB.DomainName+" (CNAME/alias) here")
	out("ApiUrl", jsii.String("https://"+p.ALB.DomainName), "Public API base URL")
	out("GatewayTargetGroupArn", e.GatewayTarget.TargetGroupArn(), "Target group the gateway pods bind to")
	out("LbControllerRoleArn", lbc.RoleArn(), "Pod identity role of the AWS Load Balancer Controller")
	out("AlarmTopicArn", e.AlarmTopic.TopicArn(), "Subscribe on-call to this topic")
	return e
}
