package stacks

import (
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/aws-cdk-go/awscdk/v2/awseksv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/crypto-oms/crypto-oms/cdk/k8s"
	"github.com/crypto-oms/crypto-oms/hotpath/estate"
)

// Namespace is the Kubernetes namespace of the hot-path workloads (pod identity associations name it).
const Namespace = k8s.Namespace

// LBControllerServiceAccount is the service account of the AWS Load Balancer Controller, which binds
// the gateway pods to the ALB target group this app creates (TargetGroupBinding).
const LBControllerServiceAccount = "aws-load-balancer-controller"

// WorkloadAccess is what one hot-path workload may touch: topics it reads and writes, its consumer
// groups and transactional-id prefix, and which secrets it reads: the Redis AUTH token, the bootstrap
// API keys, the DocumentDB master user (API keys created through the admin API live in the store),
// the key-encryption secret those keys are sealed under and the token secret the gateway's browser
// sessions and WebSocket tokens are signed with.
type WorkloadAccess struct {
	Read, Write, Groups []string
	TxnPrefix           string
	Redis, APIKeys      bool
	Docdb, KEK          bool
	Token               bool
}

// Access is the least-privilege table of the hot path (DESIGN §3): the gateway produces orders and
// streams executions and prices to WebSocket clients (tailing every partition, no consumer group); the
// processor consumes orders (and prices for the paper venue, control for halts) and writes executions,
// transactionally; marketdata publishes prices and fans them out.
var Access = map[string]WorkloadAccess{
	"gateway":    {Read: []string{"executions", "prices", "control"}, Write: []string{"orders"}, Groups: []string{"gateway-*"}, Redis: true, APIKeys: true, Docdb: true, KEK: true, Token: true},
	"processor":  {Read: []string{"orders", "prices", "control"}, Write: []string{"executions", "dlq"}, Groups: []string{"processor*"}, TxnPrefix: "processor-"},
	"marketdata": {Read: []string{"prices"}, Write: []string{"prices"}, Groups: []string{"marketdata-*"}},
}

// Compute holds EKS, the image repositories and the pod identity roles.
type Compute struct {
	Stack        awscdk.Stack
	Cluster      awseksv2.Cluster
	Repos        map[string]awsecr.Repository
	Roles        map[string]awsiam.Role // per workload, plus LBControllerServiceAccount
	APIKeys      awssecretsmanager.Secret
	OperatorRole awsiam.Role
}

// NewCompute builds the EKS cluster (private nodes, secrets envelope-encrypted, all control-plane logs),
// its managed node group, the pod identity agent add-on, one ECR repository and one pod identity role
// per workload. The Secrets Store CSI driver with the AWS provider and the AWS Load Balancer Controller
// are Helm charts (docs/deploy.md): without a kubectl Lambda, CloudFormation cannot install charts.
func NewCompute(scope constructs.Construct, id string, props *awscdk.StackProps, p estate.Profile, n *Network, d *Data) *Compute {
	stack := awscdk.NewStack(scope, jsii.String(id), props)
	c := &Compute{Stack: stack, Repos: map[string]awsecr.Repository{}, Roles: map[string]awsiam.Role{}}
	name := strings.ToLower(id)
	eksKey := key(stack, "EksKey", "eks", "EKS secrets envelope encryption")

	for _, w := range estate.Workloads {
		c.Repos[w] = awsecr.NewRepository(stack, jsii.String("Repo-"+w), &awsecr.RepositoryProps{
			RepositoryName:     jsii.String(name + "/" + w),
			ImageScanOnPush:    jsii.Bool(true),
			ImageTagMutability: awsecr.TagMutability_IMMUTABLE,
			Encryption:         awsecr.RepositoryEncryption_KMS(),
			LifecycleRules:     &[]*awsecr.LifecycleRule{{MaxImageCount: jsii.Number(50), Description: jsii.String("keep the last 50 images")}},
			RemovalPolicy:      awscdk.RemovalPolicy_RETAIN,
		})
	}

	c.Cluster = awseksv2.NewCluster(stack, jsii.String("Cluster"), &awseksv2.ClusterProps{
		ClusterName: jsii.String(name),
		Version:     awseksv2.KubernetesVersion_Of(jsii.String(p.EKS.Version)),
		Vpc:         n.Vpc,
		VpcSubnets:  &[]*awsec2.SubnetSelection{{SubnetType: awsec2.SubnetType_PRIVATE_WITH_EGRESS}},
		// Managed node groups, not Auto Mode (the eks-v2 default): sizing.json fixes the instance type.
		DefaultCapacityType:  awseksv2.DefaultCapacityType_NODEGROUP,
		DefaultCapacity:      jsii.Number(0),
		EndpointAccess:       awseksv2.EndpointAccess_PUBLIC_AND_PRIVATE(),
		SecretsEncryptionKey: eksKey,
		ClusterLogging: &[]awseksv2.ClusterLoggingTypes{
			awseksv2.ClusterLoggingTypes_API, awseksv2.ClusterLoggingTypes_AUDIT, awseksv2.ClusterLoggingTypes_AUTHENTICATOR,
			awseksv2.ClusterLoggingTypes_CONTROLLER_MANAGER, awseksv2.ClusterLoggingTypes_SCHEDULER,
		},
	})
	ami := awseksv2.NodegroupAmiType_AL2023_X86_64_STANDARD
	if p.EKS.NodeArch == "arm64" {
		ami = awseksv2.NodegroupAmiType_AL2023_ARM_64_STANDARD
	}
	c.Cluster.AddNodegroupCapacity(jsii.String("Nodes"), &awseksv2.NodegroupOptions{
		NodegroupName: jsii.String("hotpath"),
		AmiType:       ami,
		InstanceTypes: &[]awsec2.InstanceType{awsec2.NewInstanceType(jsii.String(p.EKS.NodeInstanceType))},
		MinSize:       jsii.Number(float64(p.EKS.NodeMin)),
		DesiredSize:   jsii.Number(float64(p.EKS.NodeDesired)),
		MaxSize:       jsii.Number(float64(p.EKS.NodeMax)),
		DiskSize:      jsii.Number(float64(p.EKS.NodeDiskGiB)),
		Subnets:       &awsec2.SubnetSelection{SubnetType: awsec2.SubnetType_PRIVATE_WITH_EGRESS},
		// Replace one node at a time so the PodDisruptionBudgets can be honoured.
		MaxUnavailable: jsii.Number(1),
	})
	awseksv2.NewAddon(stack, jsii.String("PodIdentityAgent"), &awseksv2.AddonProps{
		Cluster: c.Cluster, AddonName: jsii.String("eks-pod-identity-agent"),
	})

	// Operators assume this role for kubectl; it is the only human entry to the cluster.
	c.OperatorRole = awsiam.NewRole(stack, jsii.String("OperatorRole"), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewAccountRootPrincipal(),
		Description: jsii.String("crypto-oms operators: kubectl access to " + name),
	})
	c.Cluster.GrantClusterAdmin(jsii.String("OperatorAccess"), c.OperatorRole.RoleArn())

	c.APIKeys = awssecretsmanager.NewSecret(stack, jsii.String("ApiKeys"), &awssecretsmanager.SecretProps{
		Description:   jsii.String("crypto-oms gateway API keys (JSON); operators put the real keys (docs/deploy.md)"),
		EncryptionKey: d.SecretsKey,
	})
	suppress(c.APIKeys, map[string]string{
		"AwsSolutions-SMG4": "API keys are issued to clients and rotated with them by the operator, not on a timer.",
	})

	podPrincipal := awsiam.NewSessionTagsPrincipal(awsiam.NewServicePrincipal(jsii.String("pods.eks.amazonaws.com"), nil))
	for _, w := range estate.Workloads {
		acc := Access[w]
		role := awsiam.NewRole(stack, jsii.String("Role-"+w), &awsiam.RoleProps{
			AssumedBy: podPrincipal, Description: jsii.String("crypto-oms " + w + " pods (EKS pod identity)"),
		})
		for _, st := range d.KafkaStatements(acc.Read, acc.Write, acc.Groups, acc.TxnPrefix) {
			role.AddToPolicy(st)
		}
		if acc.Redis {
			secretRead(role, d.RedisAuth.SecretArn(), d.SecretsKey.KeyArn())
		}
		if acc.APIKeys {
			secretRead(role, c.APIKeys.SecretArn(), d.SecretsKey.KeyArn())
		}
		if acc.Docdb {
			secretRead(role, d.Docdb.Secret().SecretArn(), d.SecretsKey.KeyArn())
		}
		if acc.KEK {
			secretRead(role, d.KEK.SecretArn(), d.SecretsKey.KeyArn())
		}
		if acc.Token {
			secretRead(role, d.Token.SecretArn(), d.SecretsKey.KeyArn())
		}
		suppress(role, map[string]string{
			"AwsSolutions-IAM5": "Wildcards only in Kafka consumer-group names (" + strings.Join(acc.Groups, ", ") + ") and transactional ids (one per pod, prefix " + acc.TxnPrefix + "), all under this cluster's UUID; topics are named exactly.",
		})
		c.Roles[w] = role
		awseksv2.NewCfnPodIdentityAssociation(stack, jsii.String("PodIdentity-"+w), &awseksv2.CfnPodIdentityAssociationProps{
			ClusterName: c.Cluster.ClusterName(), Namespace: jsii.String(Namespace), ServiceAccount: jsii.String(w), RoleArn: role.RoleArn(),
		})
	}

	// Security groups: the nodes (EKS cluster security group) reach MSK and Redis; the ALB reaches the
	// gateway pods. The rules live here because the cluster security group is created by EKS.
	nodes := c.Cluster.ClusterSecurityGroupId()
	ingress := func(id string, group awsec2.SecurityGroup, source *string, port int, desc string) {
		awsec2.NewCfnSecurityGroupIngress(stack, jsii.String(id), &awsec2.CfnSecurityGroupIngressProps{
			GroupId: group.SecurityGroupId(), SourceSecurityGroupId: source, IpProtocol: jsii.String("tcp"),
			FromPort: jsii.Number(float64(port)), ToPort: jsii.Number(float64(port)), Description: jsii.String(desc),
		})
	}
	ingress("MskFromNodes", n.MskSG, nodes, MSKIAMPort, "EKS pods to MSK (TLS+IAM)")
	ingress("RedisFromNodes", n.RedisSG, nodes, p.Redis.Port, "EKS pods to Redis (TLS)")
	// The gateway reads API keys created through the admin API from the store.
	ingress("DocdbFromNodes", n.DocdbSG, nodes, p.DocumentDB.Port, "EKS pods (gateway key lookups) to DocumentDB (TLS)")
	awsec2.NewCfnSecurityGroupIngress(stack, jsii.String("GatewayFromAlb"), &awsec2.CfnSecurityGroupIngressProps{
		GroupId: nodes, SourceSecurityGroupId: n.AlbSG.SecurityGroupId(), IpProtocol: jsii.String("tcp"),
		FromPort: jsii.Number(float64(p.Workloads["gateway"].Port)), ToPort: jsii.Number(float64(p.Workloads["gateway"].Port)),
		Description: jsii.String("ALB to gateway pods"),
	})

	suppress(c.Cluster, map[string]string{
		"AwsSolutions-EKS1": "Operators run kubectl from outside the VPC; the public endpoint only authenticates IAM principals with an access entry (OperatorRole). Restrict with publicAccessCidrs per account.",
		"AwsSolutions-IAM4": "EKS requires the AWS managed AmazonEKSClusterPolicy on the cluster role and AmazonEKSWorkerNodePolicy, AmazonEC2ContainerRegistryReadOnly and AmazonEKS_CNI_Policy on the node role.",
	})
	suppressCDKHelpers(stack)

	out := func(id string, v *string, desc string) {
		awscdk.NewCfnOutput(stack, jsii.String(id), &awscdk.CfnOutputProps{Value: v, Description: jsii.String(desc)})
	}
	out("ClusterName", c.Cluster.ClusterName(), "EKS cluster name")
	out("OperatorRoleArn", c.OperatorRole.RoleArn(), "Role operators assume for kubectl")
	out("ApiKeysSecretArn", c.APIKeys.SecretArn(), "Secret holding the gateway API keys JSON")
	for _, w := range estate.Workloads {
		out("Repo"+exportName(w), c.Repos[w].RepositoryUri(), "ECR repository of "+w)
	}
	out("UpdateKubeconfig", awscdk.Fn_Join(jsii.String(""), &[]*string{
		jsii.String("aws eks update-kubeconfig --region "), stack.Region(), jsii.String(" --name "), c.Cluster.ClusterName(),
		jsii.String(" --role-arn "), c.OperatorRole.RoleArn(),
	}), "Command that points kubectl at the cluster")
	return c
}

// exportName turns "order-query" into "OrderQuery" for construct and output ids.
func exportName(s string) string {
	var b strings.Builder
	for _, part := range strings.Split(s, "-") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}

// secretRead lets role read one secret, decrypting through Secrets Manager only. It is written into the
// role's policy, not granted on the secret and key, so the stack owning them gains no reference back to
// the role's stack (which would be a cycle).
func secretRead(role awsiam.Role, secretArn, keyArn *string) {
	role.AddToPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions: jsii.Strings("secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"), Resources: &[]*string{secretArn},
	}))
	role.AddToPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions: jsii.Strings("kms:Decrypt"), Resources: &[]*string{keyArn},
		Conditions: &map[string]any{"StringEquals": map[string]any{
			"kms:ViaService": awscdk.Fn_Join(jsii.String(""), &[]*string{jsii.String("secretsmanager."), awscdk.Aws_REGION(), jsii.String(".amazonaws.com")}),
		}},
	}))
}
