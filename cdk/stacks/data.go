package stacks

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdocdb"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awselasticache"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsmsk"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/customresources"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/crypto-oms/crypto-oms/hotpath/estate"
)

// Data holds the stateful services and what other stacks need to reach them.
type Data struct {
	Stack                                  awscdk.Stack
	MskKey, DocdbKey, RedisKey, SecretsKey awskms.Key
	MskClusterName                         string
	MskCluster                             awsmsk.CfnCluster
	Brokers                                *string // SASL/IAM bootstrap string, resolved at deploy time
	RedisEndpoint                          *string
	RedisAuth                              awssecretsmanager.Secret
	// KEK is the secret the API-secret key-encryption key is derived from (lambdas/boot): the admin
	// function seals API secrets under it; the gateway and order-query unseal them to verify requests.
	KEK awssecretsmanager.Secret
	// Token is the secret the key signing the gateway's short-lived tokens is derived from (lambdas/boot
	// Resolver.TokenSecret): browser session cookies (POST /api/session) and WebSocket tokens
	// (POST /api/ws-token). Every gateway pod derives the same key, so a token from one pod is accepted
	// by any other, and the order-query and admin functions derive it too to verify browser sessions.
	Token  awssecretsmanager.Secret
	Docdb  awsdocdb.DatabaseCluster
	Topics map[string]awsmsk.CfnTopic
}

// NewData builds MSK (IAM auth over TLS only, KMS at rest, topics from sizing), ElastiCache Redis (TLS,
// AUTH token from Secrets Manager, multi-AZ when sizing says so) and DocumentDB (TLS enforced by the
// parameter group, KMS, backups, master user in Secrets Manager).
func NewData(scope constructs.Construct, id string, props *awscdk.StackProps, p estate.Profile, n *Network) *Data {
	stack := awscdk.NewStack(scope, jsii.String(id), props)
	d := &Data{Stack: stack, Topics: map[string]awsmsk.CfnTopic{}}
	d.MskKey = key(stack, "MskKey", "msk", "MSK broker volumes")
	d.DocdbKey = key(stack, "DocdbKey", "docdb", "DocumentDB storage")
	d.RedisKey = key(stack, "RedisKey", "redis", "ElastiCache at rest")
	d.SecretsKey = key(stack, "SecretsKey", "secrets", "Secrets Manager secrets of crypto-oms")
	isolated := n.Vpc.SelectSubnets(&awsec2.SubnetSelection{SubnetType: awsec2.SubnetType_PRIVATE_ISOLATED})
	name := strings.ToLower(id)

	// --- MSK ---
	brokerLogs := awslogs.NewLogGroup(stack, jsii.String("MskBrokerLogs"), &awslogs.LogGroupProps{
		Retention: retention(p.Logs.RetentionDays), EncryptionKey: n.LogsKey, RemovalPolicy: awscdk.RemovalPolicy_DESTROY,
	})
	serverProps := strings.Join([]string{
		"auto.create.topics.enable=false", // topics exist only as declared below
		fmt.Sprintf("default.replication.factor=%d", min(3, p.MSK.BrokerCount)),
		fmt.Sprintf("min.insync.replicas=%d", p.MSK.MinInsyncReplicas),
		fmt.Sprintf("log.retention.hours=%d", p.MSK.RetentionHours),
		"unclean.leader.election.enable=false", // an acknowledged order is never lost (DESIGN §3)
		fmt.Sprintf("transaction.state.log.replication.factor=%d", min(3, p.MSK.BrokerCount)),
		fmt.Sprintf("transaction.state.log.min.isr=%d", p.MSK.MinInsyncReplicas),
	}, "\n")
	mskConfig := awsmsk.NewCfnConfiguration(stack, jsii.String("MskConfig"), &awsmsk.CfnConfigurationProps{
		Name:              jsii.String(name + "-kafka"),
		KafkaVersionsList: jsii.Strings(p.MSK.KafkaVersion),
		ServerProperties:  jsii.String(serverProps),
	})
	d.MskClusterName = name
	d.MskCluster = awsmsk.NewCfnCluster(stack, jsii.String("Msk"), &awsmsk.CfnClusterProps{
		ClusterName:         jsii.String(name),
		KafkaVersion:        jsii.String(p.MSK.KafkaVersion),
		NumberOfBrokerNodes: jsii.Number(float64(p.MSK.BrokerCount)),
		BrokerNodeGroupInfo: &awsmsk.CfnCluster_BrokerNodeGroupInfoProperty{
			ClientSubnets:  isolated.SubnetIds,
			InstanceType:   jsii.String(p.MSK.BrokerInstanceType),
			SecurityGroups: jsii.Strings(*n.MskSG.SecurityGroupId()),
			StorageInfo: &awsmsk.CfnCluster_StorageInfoProperty{
				EbsStorageInfo: &awsmsk.CfnCluster_EBSStorageInfoProperty{VolumeSize: jsii.Number(float64(p.MSK.EBSVolumeGiB))},
			},
		},
		ClientAuthentication: &awsmsk.CfnCluster_ClientAuthenticationProperty{
			Sasl:            &awsmsk.CfnCluster_SaslProperty{Iam: &awsmsk.CfnCluster_IamProperty{Enabled: jsii.Bool(true)}},
			Unauthenticated: &awsmsk.CfnCluster_UnauthenticatedProperty{Enabled: jsii.Bool(false)},
		},
		EncryptionInfo: &awsmsk.CfnCluster_EncryptionInfoProperty{
			EncryptionAtRest:    &awsmsk.CfnCluster_EncryptionAtRestProperty{DataVolumeKmsKeyId: d.MskKey.KeyArn()},
			EncryptionInTransit: &awsmsk.CfnCluster_EncryptionInTransitProperty{ClientBroker: jsii.String("TLS"), InCluster: jsii.Bool(true)},
		},
		ConfigurationInfo: &awsmsk.CfnCluster_ConfigurationInfoProperty{
			Arn: mskConfig.AttrArn(), Revision: mskConfig.AttrLatestRevisionRevision(),
		},
		// Per-topic, per-broker metrics feed the DLQ alarm; consumer lag comes with every level.
		EnhancedMonitoring: jsii.String("PER_TOPIC_PER_BROKER"),
		LoggingInfo: &awsmsk.CfnCluster_LoggingInfoProperty{BrokerLogs: &awsmsk.CfnCluster_BrokerLogsProperty{
			CloudWatchLogs: &awsmsk.CfnCluster_CloudWatchLogsProperty{Enabled: jsii.Bool(true), LogGroup: brokerLogs.LogGroupName()},
		}},
	})
	for _, t := range estate.TopicNames {
		ts := p.MSK.Topics[t]
		// The MSK topic API takes the topic configs as base64 of a JSON object of string values (the
		// shape DescribeTopic returns them in).
		cfg, _ := json.Marshal(TopicConfigs(p, t))
		d.Topics[t] = awsmsk.NewCfnTopic(stack, jsii.String("Topic-"+t), &awsmsk.CfnTopicProps{
			ClusterArn:        d.MskCluster.AttrArn(),
			TopicName:         jsii.String(t),
			PartitionCount:    jsii.Number(float64(ts.Partitions)),
			ReplicationFactor: jsii.Number(float64(ts.ReplicationFactor)),
			Configs:           jsii.String(base64.StdEncoding.EncodeToString(cfg)),
		})
	}
	// AWS::MSK::Cluster exposes no bootstrap string; read it once at deploy time so Lambdas and the
	// Kubernetes manifests get it from the stack outputs.
	brokers := customresources.NewAwsCustomResource(stack, jsii.String("MskBootstrapBrokers"), &customresources.AwsCustomResourceProps{
		OnUpdate: &customresources.AwsSdkCall{
			Service:            jsii.String("Kafka"),
			Action:             jsii.String("getBootstrapBrokers"),
			Parameters:         map[string]any{"ClusterArn": d.MskCluster.AttrArn()},
			PhysicalResourceId: customresources.PhysicalResourceId_Of(d.MskCluster.AttrArn()),
		},
		Policy: customresources.AwsCustomResourcePolicy_FromStatements(&[]awsiam.PolicyStatement{
			awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Actions: jsii.Strings("kafka:GetBootstrapBrokers"), Resources: &[]*string{d.MskCluster.AttrArn()},
			}),
		}),
		InstallLatestAwsSdk: jsii.Bool(false),
	})
	d.Brokers = brokers.GetResponseField(jsii.String("BootstrapBrokerStringSaslIam"))

	// --- Key-encryption secret ---
	// Secrets Manager cannot generate exactly 32 random bytes, so it generates 64 alphanumerics and the
	// functions derive the key from them (boot.KeyEncryptionKey). Never rotated by a timer: every API
	// secret in the store is sealed under the derived key, and a new value makes them all unreadable.
	d.KEK = awssecretsmanager.NewSecret(stack, jsii.String("KeyEncryption"), &awssecretsmanager.SecretProps{
		Description:   jsii.String("crypto-oms " + name + " API-secret key-encryption secret (never rotate without re-sealing; docs/deploy.md)"),
		EncryptionKey: d.SecretsKey,
		GenerateSecretString: &awssecretsmanager.SecretStringGenerator{
			ExcludePunctuation: jsii.Bool(true), IncludeSpace: jsii.Bool(false), PasswordLength: jsii.Number(KEKSecretLength),
		},
		// Losing it loses every API key created through the admin API.
		RemovalPolicy: awscdk.RemovalPolicy_RETAIN,
	})
	suppress(d.KEK, map[string]string{
		"AwsSolutions-SMG4": "Rotating the key-encryption secret without re-sealing every stored API secret would lock every client out; it changes only through the re-seal runbook (docs/deploy.md).",
	})

	// --- Token secret ---
	// Generated and kept like the key-encryption secret; the gateway derives from it the key that signs
	// its short-lived tokens, browser sessions and WebSocket connections (boot.TokenSecret), under its
	// own label, and the order-query and admin functions derive the same key to verify sessions.
	d.Token = awssecretsmanager.NewSecret(stack, jsii.String("TokenSecret"), &awssecretsmanager.SecretProps{
		Description:   jsii.String("crypto-oms " + name + " token secret: " + TokenSecretDescription + " (docs/deploy.md)"),
		EncryptionKey: d.SecretsKey,
		GenerateSecretString: &awssecretsmanager.SecretStringGenerator{
			ExcludePunctuation: jsii.Bool(true), IncludeSpace: jsii.Bool(false), PasswordLength: jsii.Number(TokenSecretLength),
		},
		RemovalPolicy: awscdk.RemovalPolicy_RETAIN,
	})
	suppress(d.Token, map[string]string{
		"AwsSolutions-SMG4": "Gateway pods and the order-query and admin functions read the token secret once at start and must all hold the same value; a new value logs every browser out and voids the WebSocket tokens in flight, and takes a gateway rollout plus a function update (docs/deploy.md), so it changes by runbook, not on a timer.",
	})

	// --- ElastiCache Redis ---
	d.RedisAuth = awssecretsmanager.NewSecret(stack, jsii.String("RedisAuth"), &awssecretsmanager.SecretProps{
		Description:   jsii.String("ElastiCache AUTH token of crypto-oms " + name),
		EncryptionKey: d.SecretsKey,
		GenerateSecretString: &awssecretsmanager.SecretStringGenerator{
			ExcludePunctuation: jsii.Bool(true), PasswordLength: jsii.Number(64),
		},
	})
	suppress(d.RedisAuth, map[string]string{
		"AwsSolutions-SMG4": "An AUTH token rotation needs the ElastiCache ROTATE strategy and a gateway rollout; it is a runbook step (docs/deploy.md), not an unattended Lambda.",
	})
	subnets := awselasticache.NewCfnSubnetGroup(stack, jsii.String("RedisSubnets"), &awselasticache.CfnSubnetGroupProps{
		Description: jsii.String("crypto-oms Redis, isolated subnets"),
		SubnetIds:   subnetIDs(isolated),
	})
	rg := &awselasticache.CfnReplicationGroupProps{
		ReplicationGroupDescription: jsii.String("crypto-oms idempotency keys and rate limits"),
		Engine:                      jsii.String("redis"),
		EngineVersion:               jsii.String(p.Redis.EngineVersion),
		CacheNodeType:               jsii.String(p.Redis.NodeType),
		Port:                        jsii.Number(float64(p.Redis.Port)),
		TransitEncryptionEnabled:    jsii.Bool(true),
		AtRestEncryptionEnabled:     jsii.Bool(true),
		KmsKeyId:                    d.RedisKey.KeyArn(),
		AuthToken:                   d.RedisAuth.SecretValue().UnsafeUnwrap(), // a {{resolve:secretsmanager}} reference, not the value
		CacheSubnetGroupName:        subnets.Ref(),
		SecurityGroupIds:            jsii.Strings(*n.RedisSG.SecurityGroupId()),
		SnapshotRetentionLimit:      jsii.Number(float64(p.Redis.SnapshotRetentionDays)),
		MultiAzEnabled:              jsii.Bool(p.Redis.MultiAZ),
		AutomaticFailoverEnabled:    jsii.Bool(p.Redis.MultiAZ || p.Redis.ReplicasPerShard > 0 || p.Redis.Shards > 1),
	}
	if p.Redis.Shards > 1 {
		rg.ClusterMode = jsii.String("enabled")
		rg.NumNodeGroups = jsii.Number(float64(p.Redis.Shards))
		rg.ReplicasPerNodeGroup = jsii.Number(float64(p.Redis.ReplicasPerShard))
	} else {
		rg.NumCacheClusters = jsii.Number(float64(1 + p.Redis.ReplicasPerShard))
	}
	redis := awselasticache.NewCfnReplicationGroup(stack, jsii.String("Redis"), rg)
	if p.Redis.Shards > 1 {
		d.RedisEndpoint = redis.AttrConfigurationEndPointAddress()
	} else {
		d.RedisEndpoint = redis.AttrPrimaryEndPointAddress()
	}
	if !p.Redis.MultiAZ {
		suppress(redis, map[string]string{
			"AwsSolutions-AEC4": "This profile trades Redis multi-AZ for cost (sizing.json redis.multiAz=false); the keys it holds are a 24 h idempotency cache. The prod profile is multi-AZ.",
		})
	}

	// --- DocumentDB ---
	params := awsdocdb.NewClusterParameterGroup(stack, jsii.String("DocdbParams"), &awsdocdb.ClusterParameterGroupProps{
		Family:      jsii.String("docdb" + majorMinor(p.DocumentDB.EngineVersion)),
		Description: jsii.String("crypto-oms: TLS required, audit and profiler logs on"),
		Parameters: &map[string]*string{
			"tls":        jsii.String("enabled"),
			"audit_logs": jsii.String("enabled"),
			"profiler":   jsii.String("enabled"),
		},
	})
	d.Docdb = awsdocdb.NewDatabaseCluster(stack, jsii.String("Docdb"), &awsdocdb.DatabaseClusterProps{
		MasterUser: &awsdocdb.Login{
			Username:          jsii.String(p.DocumentDB.MasterUsername),
			KmsKey:            d.SecretsKey,
			ExcludeCharacters: jsii.String("\"@/:?#[]%\\ '`"),
		},
		EngineVersion:                  jsii.String(p.DocumentDB.EngineVersion),
		InstanceType:                   awsec2.NewInstanceType(jsii.String(strings.TrimPrefix(p.DocumentDB.InstanceClass, "db."))),
		Instances:                      jsii.Number(float64(p.DocumentDB.Instances)),
		Vpc:                            n.Vpc,
		VpcSubnets:                     &awsec2.SubnetSelection{SubnetType: awsec2.SubnetType_PRIVATE_ISOLATED},
		SecurityGroup:                  n.DocdbSG,
		Port:                           jsii.Number(float64(p.DocumentDB.Port)),
		StorageEncrypted:               jsii.Bool(true),
		KmsKey:                         d.DocdbKey,
		Backup:                         &awsdocdb.BackupProps{Retention: awscdk.Duration_Days(jsii.Number(float64(p.DocumentDB.BackupRetentionDays)))},
		ParameterGroup:                 params,
		ExportAuditLogsToCloudWatch:    jsii.Bool(true),
		ExportProfilerLogsToCloudWatch: jsii.Bool(true),
		CloudWatchLogsRetention:        retention(p.Logs.RetentionDays),
		DeletionProtection:             jsii.Bool(p.DeletionProtection),
		RemovalPolicy:                  awscdk.RemovalPolicy_SNAPSHOT,
	})
	suppress(d.Docdb, map[string]string{
		"AwsSolutions-DOC3": "Rotating the master password needs the Lambdas to re-read the secret on auth failure first; until then rotation is a runbook step (docs/deploy.md).",
		"AwsSolutions-SMG4": "Same as AwsSolutions-DOC3: master secret rotation is a runbook step for now.",
		"AwsSolutions-DOC5": "Audit logs (authentication, DDL such as createIndex and dropCollection; parameter audit_logs=enabled) and profiler logs are exported; the rule asks for event names that are not export types.",
	})
	suppressCDKHelpers(stack)

	out := func(id string, v *string, desc string) {
		awscdk.NewCfnOutput(stack, jsii.String(id), &awscdk.CfnOutputProps{Value: v, Description: jsii.String(desc)})
	}
	out("MskClusterArn", d.MskCluster.AttrArn(), "MSK cluster ARN")
	out("MskBootstrapBrokersIam", d.Brokers, "MSK bootstrap brokers (TLS + IAM, port 9098)")
	out("RedisEndpoint", d.RedisEndpoint, "ElastiCache endpoint (TLS)")
	out("RedisAuthSecretArn", d.RedisAuth.SecretArn(), "Secret holding the Redis AUTH token")
	out("DocdbEndpoint", d.Docdb.ClusterEndpoint().Hostname(), "DocumentDB cluster endpoint (TLS)")
	out("DocdbSecretArn", d.Docdb.Secret().SecretArn(), "Secret holding the DocumentDB master user")
	out("KeyEncryptionSecretArn", d.KEK.SecretArn(), "Secret the API-secret key-encryption key is derived from")
	out("TokenSecretArn", d.Token.SecretArn(), "Secret the key signing the gateway's session and WebSocket tokens is derived from (gateway, order-query, admin)")
	return d
}

// KEKSecretLength is the length of the generated key-encryption secret (alphanumerics, about 380
// bits); lambdas/boot accepts 40 and more.
const KEKSecretLength = 64

// TokenSecretLength is the length of the generated token secret; lambdas/boot derives the signing key
// from it and, like the key-encryption secret, accepts 40 and more.
const TokenSecretLength = 64

// TokenSecretDescription says what the token secret is for; both the CDK app and Terraform describe
// the secret with it (terraform/checks compares them).
const TokenSecretDescription = "signs the gateway's short-lived tokens: browser sessions and WebSocket connections; shared by every gateway pod and the order-query and admin functions"

// CompactedTopics are kept by key rather than by time: `control` is keyed KIND/SCOPE/target, so the
// latest halt or limit of every target survives however old it is, and a restarted processor still
// replays it.
var CompactedTopics = []string{"control"}

// PermanentTopics are never aged out (retention.ms -1) and not compacted either (cleanup.policy stays
// delete): account state is the fold of `executions` from its first record (ADR 0002), and the
// processor and the gateway's WebSocket hub rebuild it by reading each partition from offset 0, so a
// record deleted by retention would silently change balances and positions; every report matters, so
// compaction by key would be as wrong. The log grows without bound until processor snapshots bound it
// (the planned next step of ADR 0002); the MskDiskUsed alarms watch the brokers' disks meanwhile
// (docs/operations.md).
var PermanentTopics = []string{"executions"}

// TopicConfigs returns the per-topic configuration the deploy sets on topic t.
func TopicConfigs(p estate.Profile, t string) map[string]string {
	cfg := map[string]string{"min.insync.replicas": fmt.Sprint(p.MSK.MinInsyncReplicas)}
	switch {
	case slices.Contains(CompactedTopics, t):
		// retention.ms does not apply to a compact-only topic.
		cfg["cleanup.policy"] = "compact"
	case slices.Contains(PermanentTopics, t):
		cfg["retention.ms"] = "-1"
	default:
		cfg["retention.ms"] = fmt.Sprint(int64(p.MSK.RetentionHours) * 3600 * 1000)
	}
	return cfg
}

// majorMinor turns "5.0.0" into "5.0", the DocumentDB parameter group family suffix.
func majorMinor(v string) string {
	parts := strings.Split(v, ".")
	if len(parts) < 2 {
		return v
	}
	return parts[0] + "." + parts[1]
}

// MskArn returns the ARN of a Kafka resource of this cluster for IAM policies: kind is "topic", "group"
// or "transactional-id" and name may end in "*". MSK's data-plane ARNs reuse the cluster's UUID.
func (d *Data) MskArn(kind, name string) *string {
	uuid := awscdk.Fn_Select(jsii.Number(2), awscdk.Fn_Split(jsii.String("/"), d.MskCluster.AttrArn(), nil))
	return awscdk.Fn_Join(jsii.String(""), &[]*string{
		jsii.String("arn:"), awscdk.Aws_PARTITION(), jsii.String(":kafka:"), d.Stack.Region(), jsii.String(":"), d.Stack.Account(),
		jsii.String(":" + kind + "/" + d.MskClusterName + "/"), uuid, jsii.String("/" + name),
	})
}

// KafkaStatements grants exactly the Kafka data-plane actions one client needs: read (topics it
// consumes, with its consumer groups), write (topics it produces) and, when transactional is set,
// transactional ids with the given prefix. Every grant is scoped to named topics and groups.
func (d *Data) KafkaStatements(read, write, groups []string, txnPrefix string) []awsiam.PolicyStatement {
	clusterActions := []string{"kafka-cluster:Connect", "kafka-cluster:DescribeCluster"}
	if len(read) > 0 {
		// Consumers (Lambda's MSK poller among them) read the cluster's dynamic configuration.
		clusterActions = append(clusterActions, "kafka-cluster:DescribeClusterDynamicConfiguration")
	}
	st := []awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:   jsii.Strings(clusterActions...),
		Resources: &[]*string{d.MskCluster.AttrArn()},
	})}
	if len(write) > 0 {
		st = append(st, awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			// Idempotent producers (acks=all, DESIGN §3) need this cluster-level action.
			Actions:   jsii.Strings("kafka-cluster:WriteDataIdempotently"),
			Resources: &[]*string{d.MskCluster.AttrArn()},
		}))
		var res []*string
		for _, t := range write {
			res = append(res, d.MskArn("topic", t))
		}
		st = append(st, awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Actions: jsii.Strings("kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"), Resources: &res,
		}))
	}
	if len(read) > 0 {
		var res []*string
		for _, t := range read {
			res = append(res, d.MskArn("topic", t))
		}
		st = append(st, awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Actions: jsii.Strings("kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"), Resources: &res,
		}))
		var gres []*string
		for _, g := range groups {
			gres = append(gres, d.MskArn("group", g))
		}
		st = append(st, awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Actions: jsii.Strings("kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup"), Resources: &gres,
		}))
	}
	if txnPrefix != "" {
		st = append(st, awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Actions:   jsii.Strings("kafka-cluster:DescribeTransactionalId", "kafka-cluster:AlterTransactionalId"),
			Resources: &[]*string{d.MskArn("transactional-id", txnPrefix+"*")},
		}))
	}
	return st
}

// subnetIDs converts a selection's subnet ids to the []any some L1 properties take.
func subnetIDs(sel *awsec2.SelectedSubnets) *[]any {
	ids := make([]any, 0, len(*sel.SubnetIds))
	for _, s := range *sel.SubnetIds {
		ids = append(ids, s)
	}
	return &ids
}
