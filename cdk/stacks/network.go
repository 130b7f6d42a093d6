package stacks

import (
	"maps"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/crypto-oms/crypto-oms/hotpath/estate"
)

// MSKIAMPort is the broker port for TLS + IAM (SASL/AWS_MSK_IAM) clients.
const MSKIAMPort = 9098

// Network is the VPC and everything every other stack attaches to. Security groups live here, not
// next to the resource they guard, so that rules between them never create a cross-stack cycle.
type Network struct {
	Stack   awscdk.Stack
	Vpc     awsec2.Vpc
	LogsKey awskms.Key
	// Security groups, one per kind of endpoint.
	AlbSG, LambdaSG, MskSG, RedisSG, DocdbSG awsec2.SecurityGroup
}

// NewNetwork builds the VPC: public subnets only for the ALB and NAT gateways, private subnets with
// egress for EKS nodes and Lambdas, isolated subnets for MSK, Redis and DocumentDB.
func NewNetwork(scope constructs.Construct, id string, props *awscdk.StackProps, p estate.Profile) *Network {
	stack := awscdk.NewStack(scope, jsii.String(id), props)
	n := &Network{Stack: stack}

	n.LogsKey = awskms.NewKey(stack, jsii.String("LogsKey"), &awskms.KeyProps{
		Alias:             jsii.String("alias/" + id + "/logs"),
		Description:       jsii.String("CloudWatch Logs encryption (flow logs, Lambda, MSK, EKS)"),
		EnableKeyRotation: jsii.Bool(true),
		RemovalPolicy:     awscdk.RemovalPolicy_RETAIN,
	})
	// CloudWatch Logs encrypts with the key itself, so the service principal needs it; the condition
	// limits that to log groups in this account and region.
	n.LogsKey.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String("logs."+p.Region+".amazonaws.com"), nil)},
		Actions:    jsii.Strings("kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"),
		Resources:  jsii.Strings("*"),
		Conditions: &map[string]any{"ArnLike": map[string]any{
			"kms:EncryptionContext:aws:logs:arn": awscdk.Fn_Join(jsii.String(""), jsii.Strings("arn:aws:logs:", p.Region, ":", *stack.Account(), ":*")),
		}},
	}), nil)

	azs := make([]*string, 0, p.Network.AZCount)
	for i := 0; i < p.Network.AZCount; i++ {
		azs = append(azs, jsii.String(p.Region+string(rune('a'+i))))
	}
	n.Vpc = awsec2.NewVpc(stack, jsii.String("Vpc"), &awsec2.VpcProps{
		IpAddresses:       awsec2.IpAddresses_Cidr(jsii.String(p.Network.VpcCidr)),
		AvailabilityZones: &azs,
		NatGateways:       jsii.Number(float64(p.Network.NATGateways)),
		SubnetConfiguration: &[]*awsec2.SubnetConfiguration{
			{Name: jsii.String("public"), SubnetType: awsec2.SubnetType_PUBLIC, CidrMask: jsii.Number(24)},
			{Name: jsii.String("app"), SubnetType: awsec2.SubnetType_PRIVATE_WITH_EGRESS, CidrMask: jsii.Number(20)},
			{Name: jsii.String("data"), SubnetType: awsec2.SubnetType_PRIVATE_ISOLATED, CidrMask: jsii.Number(24)},
		},
		RestrictDefaultSecurityGroup: jsii.Bool(true),
		// S3 and DynamoDB gateway endpoints are free and carry ECR image layers without NAT.
		GatewayEndpoints: &map[string]*awsec2.GatewayVpcEndpointOptions{
			"S3": {Service: awsec2.GatewayVpcEndpointAwsService_S3()},
		},
	})
	flowLogs := awslogs.NewLogGroup(stack, jsii.String("FlowLogs"), &awslogs.LogGroupProps{
		Retention:     retention(p.Network.FlowLogRetentionDays),
		EncryptionKey: n.LogsKey,
		RemovalPolicy: awscdk.RemovalPolicy_RETAIN,
	})
	n.Vpc.AddFlowLog(jsii.String("FlowLog"), &awsec2.FlowLogOptions{
		Destination: awsec2.FlowLogDestination_ToCloudWatchLogs(flowLogs, nil),
		TrafficType: awsec2.FlowLogTrafficType_ALL,
	})

	// Interface endpoints for the AWS APIs the nodes and Lambdas call most: image pulls, credentials
	// (STS, EKS pod identity), secrets, KMS and logs. They keep that traffic off the NAT gateways.
	endpoints := map[string]awsec2.InterfaceVpcEndpointAwsService{
		"EcrApi":         awsec2.InterfaceVpcEndpointAwsService_ECR(),
		"EcrDocker":      awsec2.InterfaceVpcEndpointAwsService_ECR_DOCKER(),
		"Sts":            awsec2.InterfaceVpcEndpointAwsService_STS(),
		"EksAuth":        awsec2.InterfaceVpcEndpointAwsService_EKS_AUTH(),
		"SecretsManager": awsec2.InterfaceVpcEndpointAwsService_SECRETS_MANAGER(),
		"Kms":            awsec2.InterfaceVpcEndpointAwsService_KMS(),
		"Logs":           awsec2.InterfaceVpcEndpointAwsService_CLOUDWATCH_LOGS(),
	}
	for _, name := range []string{"EcrApi", "EcrDocker", "Sts", "EksAuth", "SecretsManager", "Kms", "Logs"} {
		ep := n.Vpc.AddInterfaceEndpoint(jsii.String(name), &awsec2.InterfaceVpcEndpointOptions{
			Service:           endpoints[name],
			Subnets:           &awsec2.SubnetSelection{SubnetType: awsec2.SubnetType_PRIVATE_WITH_EGRESS},
			PrivateDnsEnabled: jsii.Bool(true),
		})
		suppress(ep, map[string]string{
			"CdkNagValidationFailure": "EC23 cannot evaluate the endpoint's ingress rule because its source is the VPC CIDR (a GetAtt); the rule admits 443 from inside the VPC only.",
		})
	}

	sg := func(name, desc string, egress bool) awsec2.SecurityGroup {
		return awsec2.NewSecurityGroup(stack, jsii.String(name), &awsec2.SecurityGroupProps{
			Vpc: n.Vpc, Description: jsii.String(desc), AllowAllOutbound: jsii.Bool(egress),
		})
	}
	n.AlbSG = sg("AlbSG", "crypto-oms ALB: HTTPS and the HTTP redirect from anywhere", true)
	n.LambdaSG = sg("LambdaSG", "crypto-oms Lambdas", true)
	n.MskSG = sg("MskSG", "crypto-oms MSK brokers: TLS+IAM port from clients only", false)
	n.RedisSG = sg("RedisSG", "crypto-oms ElastiCache: TLS port from the gateway only", false)
	n.DocdbSG = sg("DocdbSG", "crypto-oms DocumentDB: from the Lambdas and the gateway pods only", false)
	suppress(n.AlbSG, map[string]string{
		"AwsSolutions-EC23": "The internet-facing ALB admits 443 and the 80->443 redirect from anywhere, by design; nothing else is open, and WAF sits in front.",
	})
	n.AlbSG.AddIngressRule(awsec2.Peer_AnyIpv4(), awsec2.Port_Tcp(jsii.Number(443)), jsii.String("HTTPS"), nil)
	n.AlbSG.AddIngressRule(awsec2.Peer_AnyIpv4(), awsec2.Port_Tcp(jsii.Number(80)), jsii.String("HTTP, redirected to HTTPS"), nil)
	n.MskSG.AddIngressRule(n.LambdaSG, awsec2.Port_Tcp(jsii.Number(MSKIAMPort)), jsii.String("Lambdas (ESM pollers and admin producer)"), nil)
	// Lambda event source mappings for MSK reach the brokers from ENIs carrying the cluster's own
	// security group, so the group must admit itself.
	n.MskSG.AddIngressRule(n.MskSG, awsec2.Port_Tcp(jsii.Number(MSKIAMPort)), jsii.String("ESM pollers and inter-broker"), nil)
	n.MskSG.AddEgressRule(n.MskSG, awsec2.Port_AllTcp(), jsii.String("ESM pollers to brokers"), nil)
	n.DocdbSG.AddIngressRule(n.LambdaSG, awsec2.Port_Tcp(jsii.Number(float64(p.DocumentDB.Port))), jsii.String("Lambdas"), nil)
	awscdk.NewCfnOutput(stack, jsii.String("VpcId"), &awscdk.CfnOutputProps{
		Value: n.Vpc.VpcId(), Description: jsii.String("VPC of the estate (the Load Balancer Controller's vpcId)"),
	})
	return n
}

// retention maps a day count from sizing.json to the nearest CloudWatch retention at or above it.
func retention(days int) awslogs.RetentionDays {
	steps := []struct {
		d int
		r awslogs.RetentionDays
	}{
		{1, awslogs.RetentionDays_ONE_DAY}, {3, awslogs.RetentionDays_THREE_DAYS}, {5, awslogs.RetentionDays_FIVE_DAYS},
		{7, awslogs.RetentionDays_ONE_WEEK}, {14, awslogs.RetentionDays_TWO_WEEKS}, {30, awslogs.RetentionDays_ONE_MONTH},
		{60, awslogs.RetentionDays_TWO_MONTHS}, {90, awslogs.RetentionDays_THREE_MONTHS}, {120, awslogs.RetentionDays_FOUR_MONTHS},
		{150, awslogs.RetentionDays_FIVE_MONTHS}, {180, awslogs.RetentionDays_SIX_MONTHS}, {365, awslogs.RetentionDays_ONE_YEAR},
		{400, awslogs.RetentionDays_THIRTEEN_MONTHS}, {545, awslogs.RetentionDays_EIGHTEEN_MONTHS}, {731, awslogs.RetentionDays_TWO_YEARS},
	}
	for _, s := range steps {
		if days <= s.d {
			return s.r
		}
	}
	return awslogs.RetentionDays_INFINITE
}

// key makes a customer-managed key with rotation on; RETAIN because data encrypted under it may
// outlive the stack (snapshots, backups).
func key(scope constructs.Construct, id, alias, desc string) awskms.Key {
	return awskms.NewKey(scope, jsii.String(id), &awskms.KeyProps{
		Alias:             jsii.String("alias/" + *awscdk.Stack_Of(scope).StackName() + "/" + alias),
		Description:       jsii.String(desc),
		EnableKeyRotation: jsii.Bool(true),
		RemovalPolicy:     awscdk.RemovalPolicy_RETAIN,
	})
}

// suppress records cdk-nag suppressions with their reasons on one construct and its children.
func suppress(c constructs.IConstruct, reasons map[string]string) {
	s := make([]*cdknag.NagPackSuppression, 0, len(reasons))
	for _, id := range slices.Sorted(maps.Keys(reasons)) {
		s = append(s, &cdknag.NagPackSuppression{Id: jsii.String(id), Reason: jsii.String(reasons[id])})
	}
	cdknag.NagSuppressions_AddResourceSuppressions(c, &s, jsii.Bool(true))
}

// suppressCDKHelpers covers the singleton Lambdas that aws-cdk-lib adds on its own (the AwsCustomResource
// provider, log retention, S3 auto-delete). Their roles and runtimes are chosen by aws-cdk-lib, they run
// only during a deploy, and the application cannot assume them. Call it after the stack is complete.
func suppressCDKHelpers(stack awscdk.Stack) {
	reasons := map[string]string{
		"AwsSolutions-IAM4": "aws-cdk-lib's deploy-time helper uses AWSLambdaBasicExecutionRole for its own logs only.",
		"AwsSolutions-IAM5": "aws-cdk-lib's deploy-time helper (log retention) needs logs:* on /aws/* log groups it adjusts; the application cannot assume it.",
		"AwsSolutions-L1":   "aws-cdk-lib pins the runtime of its deploy-time helper Lambdas.",
	}
	for _, c := range *stack.Node().Children() {
		id := *c.Node().Id()
		if strings.HasPrefix(id, "AWS679f53fac002430cb0da5b7982bd2287") || strings.HasPrefix(id, "LogRetention") ||
			strings.HasPrefix(id, "Custom::") || strings.HasPrefix(id, "BucketNotificationsHandler") {
			suppress(c, reasons)
		}
	}
}
