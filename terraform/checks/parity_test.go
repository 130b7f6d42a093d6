package checks

import (
	"encoding/base64"
	"encoding/json"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/crypto-oms/crypto-oms/cdk/stacks"
	"github.com/crypto-oms/crypto-oms/hotpath/estate"
	"github.com/crypto-oms/crypto-oms/terraform/internal/tfeval"
)

// TestParityWithCDK synthesizes the CDK app in-process and evaluates the Terraform configuration for the
// same profile, then compares them component by component. Both sides are computed from
// hotpath/estate; neither side's expected values are written in this test.
func TestParityWithCDK(t *testing.T) {
	if testing.Short() {
		t.Skip("synthesizes the CDK app (about 30 s per profile)")
	}
	routes, err := estate.LoadRoutes()
	if err != nil {
		t.Fatal(err)
	}
	for _, profile := range profiles(t) {
		t.Run(profile, func(t *testing.T) {
			tf, err := tfeval.Evaluate(rootDir, map[string]cty.Value{"profile": cty.StringVal(profile)})
			if err != nil {
				t.Fatal(err)
			}
			p := &parity{cdk: synthCDK(t, profile), tf: tf, routes: routes, profile: profile}
			t.Run("msk", p.msk)
			t.Run("topics", p.topics)
			t.Run("redis", p.redis)
			t.Run("documentdb", p.documentdb)
			t.Run("eks", p.eks)
			t.Run("lambdas", p.lambdas)
			t.Run("event_source_mappings", p.esms)
			t.Run("alb", p.alb)
			t.Run("listener_rules", p.listenerRules)
			t.Run("waf", p.waf)
			t.Run("frontend", p.frontend)
			t.Run("kms", p.kms)
			t.Run("security_groups", p.securityGroups)
			t.Run("log_retention", p.logRetention)
			t.Run("network", p.network)
			t.Run("alarms", p.alarms)
			t.Run("least_privilege_tables", p.accessTables)
			t.Run("secrets", p.secrets)
		})
	}
}

type parity struct {
	cdk     *cdkEstate
	tf      *tfeval.Result
	routes  estate.Routes
	profile string
}

// tfOne returns the single instance of addr in module mod.
func (p *parity) tfOne(t *testing.T, mod, addr string) map[string]any {
	t.Helper()
	insts := p.tfAll(t, mod, addr)
	if len(insts) != 1 {
		t.Fatalf("Terraform: module %s has %d instances of %s, want 1", mod, len(insts), addr)
	}
	return insts[0].Values
}

func (p *parity) tfAll(t *testing.T, mod, addr string) []*tfeval.Instance {
	t.Helper()
	m, ok := p.tf.Children[mod]
	if !ok {
		t.Fatalf("Terraform: no module %s", mod)
	}
	return m.Instances(addr)
}

// same fails when the CDK and Terraform values differ.
func same(t *testing.T, what string, cdk, tf any) {
	t.Helper()
	if c, f := norm(cdk), norm(tf); c != f {
		t.Errorf("%s: CDK %s, Terraform %s", what, c, f)
	}
}

// sameSet compares two lists as sets.
func sameSet(t *testing.T, what string, cdk, tf any) {
	t.Helper()
	if c, f := sortedNorm(cdk), sortedNorm(tf); c != f {
		t.Errorf("%s: CDK %s, Terraform %s", what, c, f)
	}
}

func bothPresent(t *testing.T, what string, cdk, tf any) {
	t.Helper()
	if !present(cdk) || !present(tf) {
		t.Errorf("%s: set in CDK: %v, set in Terraform: %v", what, present(cdk), present(tf))
	}
}

func (p *parity) msk(t *testing.T) {
	c := p.cdk.one(t, "AWS::MSK::Cluster").Props
	f := p.tfOne(t, "msk", "aws_msk_cluster.this")
	same(t, "kafka version", c["KafkaVersion"], f["kafka_version"])
	same(t, "broker count", c["NumberOfBrokerNodes"], f["number_of_broker_nodes"])
	same(t, "broker instance type", get(c, "BrokerNodeGroupInfo.InstanceType"), get(f, "broker_node_group_info.0.instance_type"))
	same(t, "broker EBS GiB", get(c, "BrokerNodeGroupInfo.StorageInfo.EBSStorageInfo.VolumeSize"), get(f, "broker_node_group_info.0.storage_info.0.ebs_storage_info.0.volume_size"))
	same(t, "IAM auth", get(c, "ClientAuthentication.Sasl.Iam.Enabled"), get(f, "client_authentication.0.sasl.0.iam"))
	same(t, "unauthenticated access", get(c, "ClientAuthentication.Unauthenticated.Enabled"), get(f, "client_authentication.0.unauthenticated"))
	same(t, "client-broker TLS", get(c, "EncryptionInfo.EncryptionInTransit.ClientBroker"), get(f, "encryption_info.0.encryption_in_transit.0.client_broker"))
	same(t, "in-cluster TLS", get(c, "EncryptionInfo.EncryptionInTransit.InCluster"), get(f, "encryption_info.0.encryption_in_transit.0.in_cluster"))
	bothPresent(t, "customer key at rest", get(c, "EncryptionInfo.EncryptionAtRest.DataVolumeKMSKeyId"), get(f, "encryption_info.0.encryption_at_rest_kms_key_arn"))
	same(t, "enhanced monitoring", c["EnhancedMonitoring"], f["enhanced_monitoring"])
	same(t, "broker logs", get(c, "LoggingInfo.BrokerLogs.CloudWatchLogs.Enabled"), get(f, "logging_info.0.broker_logs.0.cloudwatch_logs.0.enabled"))

	cc := p.cdk.one(t, "AWS::MSK::Configuration").Props
	fc := p.tfOne(t, "msk", "aws_msk_configuration.this")
	same(t, "configuration kafka versions", cc["KafkaVersionsList"], fc["kafka_versions"])
	cs, _ := cc["ServerProperties"].(string)
	fs, _ := fc["server_properties"].(string)
	same(t, "server properties", properties(cs), properties(fs))
}

func (p *parity) topics(t *testing.T) {
	cdk := map[string]map[string]any{}
	for _, r := range p.cdk.all("AWS::MSK::Topic") {
		cdk[r.Props["TopicName"].(string)] = r.Props
	}
	tf := map[string]map[string]any{}
	for _, in := range p.tfAll(t, "msk", "aws_msk_topic.this") {
		tf[in.Values["name"].(string)] = in.Values
	}
	var cn, fn []string
	for n := range cdk {
		cn = append(cn, n)
	}
	for n := range tf {
		fn = append(fn, n)
	}
	sort.Strings(cn)
	sort.Strings(fn)
	same(t, "topics", strings.Join(cn, ","), strings.Join(fn, ","))
	for name, c := range cdk {
		f, ok := tf[name]
		if !ok {
			continue
		}
		same(t, name+" partitions", c["PartitionCount"], f["partition_count"])
		same(t, name+" replication", c["ReplicationFactor"], f["replication_factor"])
		same(t, name+" configs", decodeConfigs(t, c["Configs"]), decodeConfigs(t, f["configs"]))
	}

	// The lists both tools derive topic configs from: compacted topics keep the latest record per key,
	// permanent ones (account state, ADR 0002) are never deleted and never compacted.
	msk := p.tf.Children["msk"]
	sameSet(t, "compacted topics", strings2any(stacks.CompactedTopics), tfeval.ToGo(msk.Locals["compacted"]))
	sameSet(t, "permanent topics", strings2any(stacks.PermanentTopics), tfeval.ToGo(msk.Locals["permanent"]))
	for _, name := range stacks.PermanentTopics {
		for side, v := range map[string]any{"CDK": cdk[name]["Configs"], "Terraform": tf[name]["configs"]} {
			m := configMap(t, v)
			if m["retention.ms"] != "-1" || m["cleanup.policy"] != nil {
				t.Errorf("%s: permanent topic %s has retention.ms %v, cleanup.policy %v; want -1 and the default (delete)", side, name, m["retention.ms"], m["cleanup.policy"])
			}
		}
	}
}

// configMap decodes a base64 topic config (JSON of strings) into a map.
func configMap(t *testing.T, v any) map[string]any {
	t.Helper()
	s, _ := v.(string)
	m := map[string]any{}
	raw, err := base64.StdEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(raw, &m)
	}
	if err != nil {
		t.Errorf("topic configs %q: %v", s, err)
	}
	return m
}

func strings2any(l []string) []any {
	out := make([]any, len(l))
	for i, s := range l {
		out[i] = s
	}
	return out
}

func (p *parity) redis(t *testing.T) {
	c := p.cdk.one(t, "AWS::ElastiCache::ReplicationGroup").Props
	f := p.tfOne(t, "redis", "aws_elasticache_replication_group.this")
	for _, pair := range [][2]string{
		{"Engine", "engine"}, {"EngineVersion", "engine_version"}, {"CacheNodeType", "node_type"}, {"Port", "port"},
		{"TransitEncryptionEnabled", "transit_encryption_enabled"}, {"AtRestEncryptionEnabled", "at_rest_encryption_enabled"},
		{"NumCacheClusters", "num_cache_clusters"}, {"NumNodeGroups", "num_node_groups"}, {"ReplicasPerNodeGroup", "replicas_per_node_group"},
		{"ClusterMode", "cluster_mode"}, {"MultiAZEnabled", "multi_az_enabled"}, {"AutomaticFailoverEnabled", "automatic_failover_enabled"},
		{"SnapshotRetentionLimit", "snapshot_retention_limit"},
	} {
		same(t, "redis "+pair[0], c[pair[0]], f[pair[1]])
	}
	bothPresent(t, "redis customer key", c["KmsKeyId"], f["kms_key_id"])
	bothPresent(t, "redis AUTH token", c["AuthToken"], f["auth_token"])
}

func (p *parity) documentdb(t *testing.T) {
	c := p.cdk.one(t, "AWS::DocDB::DBCluster").Props
	f := p.tfOne(t, "documentdb", "aws_docdb_cluster.this")
	same(t, "engine version", c["EngineVersion"], f["engine_version"])
	same(t, "port", c["Port"], f["port"])
	same(t, "storage encrypted", c["StorageEncrypted"], f["storage_encrypted"])
	bothPresent(t, "customer key", c["KmsKeyId"], f["kms_key_id"])
	same(t, "backup retention", c["BackupRetentionPeriod"], f["backup_retention_period"])
	sameSet(t, "log exports", c["EnableCloudwatchLogsExports"], f["enabled_cloudwatch_logs_exports"])
	same(t, "deletion protection", c["DeletionProtection"], f["deletion_protection"])
	// CDK resolves the username from the generated secret; read it from the secret's template.
	secret := p.cdk.ids[secretIDOf(c["MasterUsername"])]
	var tmpl struct{ Username string }
	if s, ok := get(secret.Props, "GenerateSecretString.SecretStringTemplate").(string); ok {
		_ = json.Unmarshal([]byte(s), &tmpl)
	}
	same(t, "master username", tmpl.Username, f["master_username"])

	var classes []any
	for _, r := range p.cdk.all("AWS::DocDB::DBInstance") {
		classes = append(classes, r.Props["DBInstanceClass"])
	}
	var tfClasses []any
	for _, in := range p.tfAll(t, "documentdb", "aws_docdb_cluster_instance.this") {
		tfClasses = append(tfClasses, in.Values["instance_class"])
	}
	sameSet(t, "instances (class per instance)", classes, tfClasses)

	pg := p.cdk.one(t, "AWS::DocDB::DBClusterParameterGroup").Props
	fpg := p.tfOne(t, "documentdb", "aws_docdb_cluster_parameter_group.this")
	same(t, "parameter family", pg["Family"], fpg["family"])
	params := map[string]any{}
	for _, b := range fpg["parameter"].([]any) {
		params[get(b, "name").(string)] = get(b, "value")
	}
	same(t, "parameters (tls)", pg["Parameters"], params)
}

var resolveSecret = regexp.MustCompile(`^\{\{resolve:secretsmanager:`)

// secretIDOf finds the secret a {{resolve:secretsmanager:...}} join refers to.
func secretIDOf(v any) string {
	parts, _ := get(v, "Fn::Join.1").([]any)
	if len(parts) < 2 {
		return ""
	}
	if s, _ := parts[0].(string); !resolveSecret.MatchString(s) {
		return ""
	}
	return refID(parts[1])
}

func (p *parity) eks(t *testing.T) {
	c := p.cdk.one(t, "AWS::EKS::Cluster").Props
	f := p.tfOne(t, "eks", "aws_eks_cluster.this")
	same(t, "kubernetes version", c["Version"], f["version"])
	var types []any
	for _, lt := range get(c, "Logging.ClusterLogging.EnabledTypes").([]any) {
		types = append(types, get(lt, "Type"))
	}
	sameSet(t, "control-plane log types", types, f["enabled_cluster_log_types"])
	sameSet(t, "envelope-encrypted resources", get(c, "EncryptionConfig.0.Resources"), get(f, "encryption_config.0.resources"))
	bothPresent(t, "envelope key", get(c, "EncryptionConfig.0.Provider.KeyArn"), get(f, "encryption_config.0.provider.0.key_arn"))
	same(t, "private endpoint", get(c, "ResourcesVpcConfig.EndpointPrivateAccess"), get(f, "vpc_config.0.endpoint_private_access"))
	same(t, "public endpoint", get(c, "ResourcesVpcConfig.EndpointPublicAccess"), get(f, "vpc_config.0.endpoint_public_access"))
	same(t, "authentication mode", get(c, "AccessConfig.AuthenticationMode"), get(f, "access_config.0.authentication_mode"))

	n := p.cdk.one(t, "AWS::EKS::Nodegroup").Props
	fn := p.tfOne(t, "eks", "aws_eks_node_group.hotpath")
	same(t, "node group name", n["NodegroupName"], fn["node_group_name"])
	same(t, "AMI type", n["AmiType"], fn["ami_type"])
	same(t, "instance types", n["InstanceTypes"], fn["instance_types"])
	same(t, "disk GiB", n["DiskSize"], fn["disk_size"])
	same(t, "min nodes", get(n, "ScalingConfig.MinSize"), get(fn, "scaling_config.0.min_size"))
	same(t, "desired nodes", get(n, "ScalingConfig.DesiredSize"), get(fn, "scaling_config.0.desired_size"))
	same(t, "max nodes", get(n, "ScalingConfig.MaxSize"), get(fn, "scaling_config.0.max_size"))
	same(t, "max unavailable", get(n, "UpdateConfig.MaxUnavailable"), get(fn, "update_config.0.max_unavailable"))

	var addons, tfAddons []any
	for _, r := range p.cdk.all("AWS::EKS::Addon") {
		addons = append(addons, r.Props["AddonName"])
	}
	for _, in := range p.tfAll(t, "eks", "aws_eks_addon.this") {
		tfAddons = append(tfAddons, in.Values["addon_name"])
	}
	sameSet(t, "add-ons", addons, tfAddons)

	var repos, tfRepos []any
	for _, r := range p.cdk.all("AWS::ECR::Repository") {
		same(t, "ECR tag mutability", r.Props["ImageTagMutability"], "IMMUTABLE")
		same(t, "ECR scan on push", get(r.Props, "ImageScanningConfiguration.ScanOnPush"), true)
		repos = append(repos, lastSegment(r.Props["RepositoryName"]))
	}
	for _, in := range p.tfAll(t, "eks", "aws_ecr_repository.this") {
		same(t, "ECR tag mutability", "IMMUTABLE", in.Values["image_tag_mutability"])
		same(t, "ECR scan on push", true, get(in.Values, "image_scanning_configuration.0.scan_on_push"))
		tfRepos = append(tfRepos, lastSegment(in.Values["name"]))
	}
	sameSet(t, "ECR repositories", repos, tfRepos)

	var pods, tfPods []any
	for _, r := range p.cdk.all("AWS::EKS::PodIdentityAssociation") {
		pods = append(pods, norm(r.Props["Namespace"])+"/"+norm(r.Props["ServiceAccount"]))
	}
	for _, mod := range []string{"workloads", "alb"} {
		for addr := range p.tf.Children[mod].Resources {
			if !strings.HasPrefix(addr, "aws_eks_pod_identity_association.") {
				continue
			}
			for _, in := range p.tfAll(t, mod, addr) {
				tfPods = append(tfPods, norm(in.Values["namespace"])+"/"+norm(in.Values["service_account"]))
			}
		}
	}
	sameSet(t, "pod identity service accounts", pods, tfPods)
}

func lastSegment(v any) any {
	s, ok := v.(string)
	if !ok {
		return v
	}
	return s[strings.LastIndex(s, "/")+1:]
}

// cdkFunctions maps each estate function to its CDK Lambda, by the name the CDK app gives it.
func (p *parity) cdkFunctions(t *testing.T) map[string]cfnRes {
	t.Helper()
	byName := map[string]cfnRes{}
	for _, r := range p.cdk.all("AWS::Lambda::Function") {
		if n, ok := r.Props["FunctionName"].(string); ok {
			byName[n] = r
		}
	}
	out := map[string]cfnRes{}
	for _, fn := range estate.Functions {
		for n, r := range byName {
			if strings.HasSuffix(n, "-edge-"+fn) {
				out[fn] = r
			}
		}
		if _, ok := out[fn]; !ok {
			t.Fatalf("CDK: no Lambda named *-edge-%s", fn)
		}
	}
	return out
}

func (p *parity) lambdas(t *testing.T) {
	cdk := p.cdkFunctions(t)
	tf := map[string]map[string]any{}
	for _, in := range p.tfAll(t, "lambdas", "aws_lambda_function.fn") {
		tf[in.Key.(string)] = in.Values
	}
	if len(tf) != len(estate.Functions) {
		t.Errorf("Terraform has %d functions, want %d", len(tf), len(estate.Functions))
	}
	for _, fn := range estate.Functions {
		c, f := cdk[fn].Props, tf[fn]
		if f == nil {
			t.Errorf("Terraform: no function %s", fn)
			continue
		}
		for _, pair := range [][2]string{
			{"Runtime", "runtime"}, {"Architectures", "architectures"}, {"Handler", "handler"}, {"MemorySize", "memory_size"},
			{"Timeout", "timeout"}, {"ReservedConcurrentExecutions", "reserved_concurrent_executions"},
		} {
			same(t, fn+" "+pair[0], c[pair[0]], f[pair[1]])
		}
		same(t, fn+" tracing", get(c, "TracingConfig.Mode"), get(f, "tracing_config.0.mode"))
		same(t, fn+" log format", get(c, "LoggingConfig.LogFormat"), get(f, "logging_config.0.log_format"))
		bothPresent(t, fn+" VPC subnets", get(c, "VpcConfig.SubnetIds"), get(f, "vpc_config.0.subnet_ids"))
		bothPresent(t, fn+" VPC security group", get(c, "VpcConfig.SecurityGroupIds"), get(f, "vpc_config.0.security_group_ids"))
		var ck, fk []any
		for k := range get(c, "Environment.Variables").(map[string]any) {
			ck = append(ck, k)
		}
		for k := range get(f, "environment.0.variables").(map[string]any) {
			fk = append(fk, k)
		}
		sameSet(t, fn+" environment variables", ck, fk)
		// Literal values must agree; the others are references both sides resolve at deploy time.
		for _, k := range []string{"OMS_KAFKA_AUTH", "OMS_DLQ_TOPIC"} {
			same(t, fn+" "+k, get(c, "Environment.Variables."+k), get(f, "environment.0.variables."+k))
		}
	}
}

func (p *parity) esms(t *testing.T) {
	cdkFns := p.cdkFunctions(t)
	fnOf := map[string]string{}
	for fn, r := range cdkFns {
		fnOf[r.ID] = fn
	}
	cdk := map[string]map[string]any{}
	for _, r := range p.cdk.all("AWS::Lambda::EventSourceMapping") {
		fn, ok := fnOf[refID(r.Props["FunctionName"])]
		if !ok {
			t.Errorf("CDK: event source mapping %s targets an unknown function", r.ID)
			continue
		}
		cdk[fn] = r.Props
	}
	tf := map[string]map[string]any{}
	for _, in := range p.tfAll(t, "lambdas", "aws_lambda_event_source_mapping.consumer") {
		// The function the mapping invokes, from the reference itself, not from the instance key.
		ref, _ := in.Values["function_name"].(tfeval.Ref)
		fn := strings.TrimSuffix(strings.TrimPrefix(string(ref), "aws_lambda_function.fn["), "].arn")
		tf[fn] = in.Values
	}
	same(t, "mapped functions", len(cdk), len(tf))
	for _, cons := range p.routes.Consumers {
		c, f := cdk[cons.Function], tf[cons.Function]
		if c == nil || f == nil {
			t.Errorf("%s: event source mapping in CDK: %v, in Terraform: %v", cons.Function, c != nil, f != nil)
			continue
		}
		w := cons.Function + " ESM "
		same(t, w+"topics", c["Topics"], f["topics"])
		same(t, w+"batch size", c["BatchSize"], f["batch_size"])
		same(t, w+"batching window", c["MaximumBatchingWindowInSeconds"], f["maximum_batching_window_in_seconds"])
		same(t, w+"starting position", c["StartingPosition"], f["starting_position"])
		same(t, w+"consumer group", get(c, "AmazonManagedKafkaEventSourceConfig.ConsumerGroupId"), get(f, "amazon_managed_kafka_event_source_config.0.consumer_group_id"))
		bothPresent(t, w+"on-failure destination", get(c, "DestinationConfig.OnFailure.Destination"), get(f, "destination_config.0.on_failure.0.destination_arn"))
		bothPresent(t, w+"MSK cluster", c["EventSourceArn"], f["event_source_arn"])
	}
}

func (p *parity) alb(t *testing.T) {
	lb := p.cdk.one(t, "AWS::ElasticLoadBalancingV2::LoadBalancer").Props
	f := p.tfOne(t, "alb", "aws_lb.this")
	attrs := map[string]any{}
	for _, a := range lb["LoadBalancerAttributes"].([]any) {
		attrs[get(a, "Key").(string)] = get(a, "Value")
	}
	same(t, "internet-facing", lb["Scheme"] == "internet-facing", f["internal"] == false)
	same(t, "idle timeout", attrs["idle_timeout.timeout_seconds"], f["idle_timeout"])
	same(t, "drop invalid headers", attrs["routing.http.drop_invalid_header_fields.enabled"], f["drop_invalid_header_fields"])
	same(t, "deletion protection", attrs["deletion_protection.enabled"], f["enable_deletion_protection"])
	same(t, "access logs", attrs["access_logs.s3.enabled"], get(f, "access_logs.0.enabled"))
	same(t, "access log prefix", attrs["access_logs.s3.prefix"], get(f, "access_logs.0.prefix"))

	listeners := map[string]map[string]any{}
	for _, r := range p.cdk.all("AWS::ElasticLoadBalancingV2::Listener") {
		listeners[norm(r.Props["Port"])] = r.Props
	}
	https, redirect := listeners["443"], listeners["80"]
	if https == nil || redirect == nil || len(listeners) != 2 {
		t.Fatalf("CDK listeners on ports %v, want 80 and 443", listeners)
	}
	fh := p.tfOne(t, "alb", "aws_lb_listener.https")
	same(t, "HTTPS port", https["Port"], fh["port"])
	same(t, "HTTPS protocol", https["Protocol"], fh["protocol"])
	same(t, "TLS policy", https["SslPolicy"], fh["ssl_policy"])
	same(t, "certificate", get(https, "Certificates.0.CertificateArn"), fh["certificate_arn"])
	same(t, "default action", get(https, "DefaultActions.0.Type"), get(fh, "default_action.0.type"))
	same(t, "default status", get(https, "DefaultActions.0.FixedResponseConfig.StatusCode"), get(fh, "default_action.0.fixed_response.0.status_code"))
	fr := p.tfOne(t, "alb", "aws_lb_listener.http_redirect")
	same(t, "HTTP port", redirect["Port"], fr["port"])
	same(t, "redirect protocol", get(redirect, "DefaultActions.0.RedirectConfig.Protocol"), get(fr, "default_action.0.redirect.0.protocol"))
	same(t, "redirect port", get(redirect, "DefaultActions.0.RedirectConfig.Port"), get(fr, "default_action.0.redirect.0.port"))
	same(t, "redirect status", get(redirect, "DefaultActions.0.RedirectConfig.StatusCode"), get(fr, "default_action.0.redirect.0.status_code"))

	// Target groups, keyed by the routes.json target they serve.
	cdkTG := p.cdkTargetGroups(t)
	for name, tgt := range p.routes.Targets {
		var fv map[string]any
		for _, in := range p.tfAll(t, "alb", "aws_lb_target_group.this") {
			if in.Key == name {
				fv = in.Values
			}
		}
		c, ok := cdkTG[name]
		if !ok || fv == nil {
			t.Errorf("target %s: target group in CDK: %v, in Terraform: %v", name, ok, fv != nil)
			continue
		}
		same(t, name+" target type", c.Props["TargetType"], fv["target_type"])
		if tgt.Kind == "eks" {
			same(t, name+" port", c.Props["Port"], fv["port"])
			same(t, name+" protocol", c.Props["Protocol"], fv["protocol"])
			same(t, name+" health check path", c.Props["HealthCheckPath"], get(fv, "health_check.0.path"))
			same(t, name+" health check codes", get(c.Props, "Matcher.HttpCode"), get(fv, "health_check.0.matcher"))
		}
	}
	// Lambda targets: each attachment registers the function routes.json names.
	for _, in := range p.tfAll(t, "alb", "aws_lb_target_group_attachment.lambda") {
		tgt := p.routes.Targets[in.Key.(string)]
		same(t, in.Addr+" target", "ref(var.function_arns["+tgt.Function+"])", in.Values["target_id"])
	}
}

// cdkTargetGroups maps routes.json target names to CDK target groups: IP groups by the workload port,
// Lambda groups by the function they register.
func (p *parity) cdkTargetGroups(t *testing.T) map[string]cfnRes {
	t.Helper()
	fnOf := map[string]string{}
	for fn, r := range p.cdkFunctions(t) {
		fnOf[r.ID] = fn
	}
	sizing, err := estate.LoadSizing()
	if err != nil {
		t.Fatal(err)
	}
	prof, _ := sizing.Profile(p.profile)
	out := map[string]cfnRes{}
	for _, r := range p.cdk.all("AWS::ElasticLoadBalancingV2::TargetGroup") {
		for name, tgt := range p.routes.Targets {
			switch {
			case tgt.Kind == "lambda" && r.Props["TargetType"] == "lambda" && fnOf[refID(get(r.Props, "Targets.0.Id"))] == tgt.Function:
				out[name] = r
			case tgt.Kind == "eks" && r.Props["TargetType"] == "ip" && norm(r.Props["Port"]) == norm(float64(prof.Workloads[tgt.Workload].Port)):
				out[name] = r
			}
		}
	}
	return out
}

func (p *parity) listenerRules(t *testing.T) {
	tgName := map[string]string{}
	for name, r := range p.cdkTargetGroups(t) {
		tgName[r.ID] = name
	}
	// priority -> "paths | methods | target"
	render := func(paths, methods any, target string) string {
		return norm(paths) + " | " + sortedNorm(methods) + " | " + target
	}
	cdk := map[string]string{}
	for _, r := range p.cdk.all("AWS::ElasticLoadBalancingV2::ListenerRule") {
		var paths, methods any
		methods = []any{}
		for _, c := range r.Props["Conditions"].([]any) {
			switch get(c, "Field") {
			case "path-pattern":
				paths = get(c, "PathPatternConfig.Values")
			case "http-request-method":
				methods = get(c, "HttpRequestMethodConfig.Values")
			default:
				t.Errorf("CDK rule %s has an unexpected condition %v", r.ID, get(c, "Field"))
			}
		}
		if get(r.Props, "Actions.0.Type") != "forward" || len(r.Props["Actions"].([]any)) != 1 {
			t.Errorf("CDK rule %s is not a single forward", r.ID)
		}
		cdk[norm(r.Props["Priority"])] = render(paths, methods, tgName[refID(get(r.Props, "Actions.0.TargetGroupArn"))])
	}
	tf := map[string]string{}
	for _, in := range p.tfAll(t, "alb", "aws_lb_listener_rule.route") {
		v := in.Values
		var paths, methods any
		methods = []any{}
		for _, c := range v["condition"].([]any) {
			if pp := get(c, "path_pattern.0.values"); pp != nil {
				paths = pp
			}
			if m := get(c, "http_request_method.0.values"); m != nil {
				methods = m
			}
		}
		if get(v, "action.0.type") != "forward" || len(v["action"].([]any)) != 1 {
			t.Errorf("Terraform rule %s is not a single forward", in.Addr)
		}
		ref, _ := get(v, "action.0.target_group_arn").(tfeval.Ref)
		target := strings.TrimSuffix(strings.TrimPrefix(string(ref), "aws_lb_target_group.this["), "].arn")
		tf[norm(v["priority"])] = render(paths, methods, target)
	}
	if len(cdk) != len(p.routes.Routes) || len(tf) != len(p.routes.Routes) {
		t.Errorf("listener rules: CDK %d, Terraform %d, routes.json %d", len(cdk), len(tf), len(p.routes.Routes))
	}
	for prio, c := range cdk {
		f, ok := tf[prio]
		if !ok {
			f = "<no rule>"
		}
		same(t, "rule priority "+prio, c, f)
	}
	for prio := range tf {
		if _, ok := cdk[prio]; !ok {
			t.Errorf("Terraform rule priority %s has no CDK counterpart", prio)
		}
	}
}

func (p *parity) waf(t *testing.T) {
	acls := map[string]map[string]any{}
	for _, r := range p.cdk.all("AWS::WAFv2::WebACL") {
		acls[r.Props["Scope"].(string)] = r.Props
	}
	tf := map[string]map[string]any{
		"REGIONAL":   p.tfOne(t, "alb", "aws_wafv2_web_acl.this"),
		"CLOUDFRONT": p.tfOne(t, "frontend", "aws_wafv2_web_acl.this"),
	}
	for scope, f := range tf {
		c := acls[scope]
		same(t, scope+" scope", c["Scope"], f["scope"])
		var cr, fr []any
		for _, r := range c["Rules"].([]any) {
			cr = append(cr, norm(get(r, "Priority"))+":"+norm(get(r, "Name"))+":"+norm(get(r, "Statement.RateBasedStatement.Limit"))+":"+norm(get(r, "Statement.ManagedRuleGroupStatement.Name")))
		}
		for _, r := range f["rule"].([]any) {
			cr2 := norm(get(r, "priority")) + ":" + norm(get(r, "name")) + ":" + norm(get(r, "statement.0.rate_based_statement.0.limit")) + ":" + norm(get(r, "statement.0.managed_rule_group_statement.0.name"))
			fr = append(fr, cr2)
		}
		sameSet(t, scope+" rules", cr, fr)
	}
	bothPresent(t, "ALB association", p.cdk.one(t, "AWS::WAFv2::WebACLAssociation").Props["WebACLArn"], p.tfOne(t, "alb", "aws_wafv2_web_acl_association.this")["web_acl_arn"])
}

func (p *parity) frontend(t *testing.T) {
	d := get(p.cdk.one(t, "AWS::CloudFront::Distribution").Props, "DistributionConfig").(map[string]any)
	f := p.tfOne(t, "frontend", "aws_cloudfront_distribution.this")
	same(t, "price class", d["PriceClass"], f["price_class"])
	same(t, "HTTP version", d["HttpVersion"], f["http_version"])
	same(t, "IPv6", d["IPV6Enabled"], f["is_ipv6_enabled"])
	same(t, "root object", d["DefaultRootObject"], f["default_root_object"])
	same(t, "default viewer policy", get(d, "DefaultCacheBehavior.ViewerProtocolPolicy"), get(f, "default_cache_behavior.0.viewer_protocol_policy"))
	bothPresent(t, "web ACL", d["WebACLId"], f["web_acl_id"])
	bothPresent(t, "standard logging", get(d, "Logging.Bucket"), get(f, "logging_config.0.bucket"))
	var cb, fb []any
	for _, b := range d["CacheBehaviors"].([]any) {
		cb = append(cb, norm(get(b, "PathPattern"))+" "+norm(get(b, "ViewerProtocolPolicy"))+" "+sortedNorm(get(b, "AllowedMethods")))
	}
	for _, b := range f["ordered_cache_behavior"].([]any) {
		fb = append(fb, norm(get(b, "path_pattern"))+" "+norm(get(b, "viewer_protocol_policy"))+" "+sortedNorm(get(b, "allowed_methods")))
	}
	sameSet(t, "API behaviours", cb, fb)
	var ce, fe []any
	for _, e := range d["CustomErrorResponses"].([]any) {
		ce = append(ce, norm(get(e, "ErrorCode"))+">"+norm(get(e, "ResponseCode"))+" "+norm(get(e, "ResponsePagePath")))
	}
	for _, e := range f["custom_error_response"].([]any) {
		fe = append(fe, norm(get(e, "error_code"))+">"+norm(get(e, "response_code"))+" "+norm(get(e, "response_page_path")))
	}
	sameSet(t, "SPA error responses", ce, fe)
	// Origins: the bucket through OAC, the API by its certificate's domain over TLS 1.2 only.
	var cdkAPI, tfAPI map[string]any
	s3OAC := 0
	for _, o := range d["Origins"].([]any) {
		if get(o, "CustomOriginConfig") != nil {
			cdkAPI = o.(map[string]any)
		} else if present(get(o, "OriginAccessControlId")) {
			s3OAC++
		}
	}
	tfOAC := 0
	for _, o := range f["origin"].([]any) {
		if get(o, "custom_origin_config") != nil && len(get(o, "custom_origin_config").([]any)) > 0 {
			tfAPI = o.(map[string]any)
		} else if present(get(o, "origin_access_control_id")) {
			tfOAC++
		}
	}
	same(t, "S3 origins behind OAC", s3OAC, tfOAC)
	same(t, "API origin domain", get(cdkAPI, "DomainName"), get(tfAPI, "domain_name"))
	same(t, "API origin protocol", get(cdkAPI, "CustomOriginConfig.OriginProtocolPolicy"), get(tfAPI, "custom_origin_config.0.origin_protocol_policy"))
	same(t, "API origin TLS", get(cdkAPI, "CustomOriginConfig.OriginSSLProtocols"), get(tfAPI, "custom_origin_config.0.origin_ssl_protocols"))
	same(t, "API origin read timeout", get(cdkAPI, "CustomOriginConfig.OriginReadTimeout"), get(tfAPI, "custom_origin_config.0.origin_read_timeout"))

	// The dashboard bucket: KMS with a bucket key, versioned, every public access block on.
	var dash map[string]any
	for _, r := range p.cdk.all("AWS::S3::Bucket") {
		if r.Stack == stackName(p.profile, "Frontend") && get(r.Props, "BucketEncryption.ServerSideEncryptionConfiguration.0.ServerSideEncryptionByDefault.SSEAlgorithm") == "aws:kms" {
			dash = r.Props
		}
	}
	if dash == nil {
		t.Fatal("CDK: no KMS-encrypted dashboard bucket")
	}
	enc := p.tfOne(t, "frontend", "aws_s3_bucket_server_side_encryption_configuration.dashboard")
	same(t, "dashboard SSE", get(dash, "BucketEncryption.ServerSideEncryptionConfiguration.0.ServerSideEncryptionByDefault.SSEAlgorithm"), get(enc, "rule.0.apply_server_side_encryption_by_default.0.sse_algorithm"))
	same(t, "dashboard bucket key", get(dash, "BucketEncryption.ServerSideEncryptionConfiguration.0.BucketKeyEnabled"), get(enc, "rule.0.bucket_key_enabled"))
	same(t, "dashboard versioning", get(dash, "VersioningConfiguration.Status"), get(p.tfOne(t, "frontend", "aws_s3_bucket_versioning.dashboard"), "versioning_configuration.0.status"))
	for _, in := range p.tfAll(t, "frontend", "aws_s3_bucket_public_access_block.this") {
		for cfn, tfk := range map[string]string{"BlockPublicAcls": "block_public_acls", "BlockPublicPolicy": "block_public_policy", "IgnorePublicAcls": "ignore_public_acls", "RestrictPublicBuckets": "restrict_public_buckets"} {
			same(t, in.Addr+" "+tfk, get(dash, "PublicAccessBlockConfiguration."+cfn), in.Values[tfk])
		}
	}
}

// region is the profile's region: what AWS::Region resolves to when the CDK app is deployed.
func (p *parity) region(t *testing.T) string {
	t.Helper()
	s, err := estate.LoadSizing()
	if err != nil {
		t.Fatal(err)
	}
	prof, err := s.Profile(p.profile)
	if err != nil {
		t.Fatal(err)
	}
	return prof.Region
}

func stackName(profile, kind string) string { return "CryptoOms-" + profile + "-" + kind }

// kms: every customer key rotates, on both sides, and both create the same number of keys.
func (p *parity) kms(t *testing.T) {
	keys := p.cdk.all("AWS::KMS::Key")
	for _, k := range keys {
		if k.Props["EnableKeyRotation"] != true {
			t.Errorf("CDK key %s/%s does not rotate", k.Stack, k.ID)
		}
	}
	n := 0
	for name, m := range p.tf.Children {
		for addr, insts := range m.Resources {
			if !strings.HasPrefix(addr, "aws_kms_key.") {
				continue
			}
			for _, in := range insts {
				n++
				if in.Values["enable_key_rotation"] != true {
					t.Errorf("Terraform key %s.%s does not rotate", name, in.Addr)
				}
			}
		}
	}
	same(t, "customer keys", len(keys), n)
}

// securityGroups compares who may reach what: the set of ingress rules as "tier:port<-source", with
// security groups named by the tier they guard.
func (p *parity) securityGroups(t *testing.T) {
	tierOf := map[string]string{}
	for _, r := range p.cdk.all("AWS::EC2::SecurityGroup") {
		desc, _ := r.Props["GroupDescription"].(string)
		for prefix, tier := range map[string]string{"crypto-oms ALB": "alb", "crypto-oms Lambdas": "lambda", "crypto-oms MSK": "msk", "crypto-oms ElastiCache": "redis", "crypto-oms DocumentDB": "docdb"} {
			if strings.HasPrefix(desc, prefix) {
				tierOf[r.ID] = tier
			}
		}
	}
	cdkSide := func(v any) string {
		if s, ok := v.(string); ok && s == "0.0.0.0/0" {
			return "anywhere"
		}
		if m, ok := v.(map[string]any); ok {
			if ga, ok := m["Fn::GetAtt"].([]any); ok && len(ga) == 2 && ga[1] == "ClusterSecurityGroupId" {
				return "nodes"
			}
			if imp, ok := m["Fn::ImportValue"].(string); ok {
				for id, tier := range tierOf {
					if strings.Contains(imp, id) {
						return tier
					}
				}
			}
		}
		if tier, ok := tierOf[refID(v)]; ok {
			return tier
		}
		return "?" + norm(v)
	}
	var cdk []any
	for _, r := range p.cdk.all("AWS::EC2::SecurityGroup") {
		tier, ok := tierOf[r.ID]
		if !ok {
			continue // interface endpoint groups: 443 from the VPC, compared below
		}
		in, _ := r.Props["SecurityGroupIngress"].([]any)
		for _, rule := range in {
			cdk = append(cdk, tier+":"+norm(get(rule, "FromPort"))+"<-"+cdkSide(get(rule, "CidrIp")))
		}
	}
	for _, r := range p.cdk.all("AWS::EC2::SecurityGroupIngress") {
		src := r.Props["SourceSecurityGroupId"]
		if src == nil {
			src = r.Props["CidrIp"]
		}
		cdk = append(cdk, cdkSide(r.Props["GroupId"])+":"+norm(r.Props["FromPort"])+"<-"+cdkSide(src))
	}
	tfSide := func(v any) string {
		s := norm(v)
		switch {
		case s == "0.0.0.0/0":
			return "anywhere"
		case strings.Contains(s, "cluster_security_group_id"):
			return "nodes"
		}
		for _, tier := range []string{"alb", "lambda", "msk", "redis", "docdb"} {
			if s == "ref(aws_security_group."+tier+".id)" || s == "ref(var.security_group_ids."+tier+")" {
				return tier
			}
		}
		return "?" + s
	}
	var tf []any
	for _, mod := range []string{"network", "eks"} {
		for addr := range p.tf.Children[mod].Resources {
			if !strings.HasPrefix(addr, "aws_vpc_security_group_ingress_rule.") || addr == "aws_vpc_security_group_ingress_rule.endpoints" {
				continue
			}
			for _, in := range p.tfAll(t, mod, addr) {
				src := in.Values["referenced_security_group_id"]
				if src == nil {
					src = in.Values["cidr_ipv4"]
				}
				tf = append(tf, tfSide(in.Values["security_group_id"])+":"+norm(in.Values["from_port"])+"<-"+tfSide(src))
			}
		}
	}
	sameSet(t, "ingress rules", cdk, tf)
}

// logRetention compares the retention of every log group both sides create for the same purpose.
func (p *parity) logRetention(t *testing.T) {
	cdkFns := p.cdkFunctions(t)
	groups := map[string]map[string]any{}
	for _, r := range p.cdk.all("AWS::Logs::LogGroup") {
		groups[r.ID] = r.Props
	}
	for _, fn := range estate.Functions {
		lg := groups[refID(get(cdkFns[fn].Props, "LoggingConfig.LogGroup"))]
		var f map[string]any
		for _, in := range p.tfAll(t, "lambdas", "aws_cloudwatch_log_group.fn") {
			if in.Key == fn {
				f = in.Values
			}
		}
		same(t, fn+" log retention", lg["RetentionInDays"], f["retention_in_days"])
		bothPresent(t, fn+" log key", lg["KmsKeyId"], f["kms_key_id"])
	}
	broker := groups[refID(get(p.cdk.one(t, "AWS::MSK::Cluster").Props, "LoggingInfo.BrokerLogs.CloudWatchLogs.LogGroup"))]
	fb := p.tfOne(t, "msk", "aws_cloudwatch_log_group.broker")
	same(t, "MSK broker log retention", broker["RetentionInDays"], fb["retention_in_days"])
	bothPresent(t, "MSK broker log key", broker["KmsKeyId"], fb["kms_key_id"])

	flow := groups[refID(p.cdk.one(t, "AWS::EC2::FlowLog").Props["LogGroupName"])]
	ff := p.tfOne(t, "network", "aws_cloudwatch_log_group.flow_logs")
	same(t, "flow log retention", flow["RetentionInDays"], ff["retention_in_days"])
	bothPresent(t, "flow log key", flow["KmsKeyId"], ff["kms_key_id"])
	same(t, "flow log traffic", p.cdk.one(t, "AWS::EC2::FlowLog").Props["TrafficType"], p.tfOne(t, "network", "aws_flow_log.this")["traffic_type"])

	for _, in := range p.tfAll(t, "documentdb", "aws_cloudwatch_log_group.exports") {
		for _, r := range p.cdk.all("Custom::LogRetention") {
			if strings.Contains(norm(r.Props["LogGroupName"]), "/"+in.Key.(string)) && strings.Contains(norm(r.Props["LogGroupName"]), "/aws/docdb/") {
				same(t, "DocumentDB "+in.Key.(string)+" log retention", r.Props["RetentionInDays"], in.Values["retention_in_days"])
			}
		}
	}
}

// network compares the VPC: CIDR, every subnet (AZ and range), NAT gateways, endpoints and flow logs.
func (p *parity) network(t *testing.T) {
	same(t, "VPC CIDR", p.cdk.one(t, "AWS::EC2::VPC").Props["CidrBlock"], p.tfOne(t, "network", "aws_vpc.this")["cidr_block"])
	var cdkSubnets, tfSubnets []any
	for _, r := range p.cdk.all("AWS::EC2::Subnet") {
		cdkSubnets = append(cdkSubnets, norm(r.Props["AvailabilityZone"])+" "+norm(r.Props["CidrBlock"]))
	}
	for _, tier := range []string{"public", "app", "data"} {
		for _, in := range p.tfAll(t, "network", "aws_subnet."+tier) {
			tfSubnets = append(tfSubnets, norm(in.Values["availability_zone"])+" "+norm(in.Values["cidr_block"]))
		}
	}
	sameSet(t, "subnets", cdkSubnets, tfSubnets)
	same(t, "NAT gateways", len(p.cdk.all("AWS::EC2::NatGateway")), len(p.tfAll(t, "network", "aws_nat_gateway.this")))
	var cdkEP, tfEP []any
	for _, r := range p.cdk.all("AWS::EC2::VPCEndpoint") {
		cdkEP = append(cdkEP, norm(resolveString(r.Props["ServiceName"], p.region(t)))+" "+norm(r.Props["VpcEndpointType"]))
	}
	for _, addr := range []string{"aws_vpc_endpoint.s3", "aws_vpc_endpoint.interface"} {
		for _, in := range p.tfAll(t, "network", addr) {
			tfEP = append(tfEP, norm(in.Values["service_name"])+" "+norm(in.Values["vpc_endpoint_type"]))
		}
	}
	sameSet(t, "VPC endpoints", cdkEP, tfEP)
}

// alarms compares every alarm by its description: threshold, periods, comparison, missing data.
func (p *parity) alarms(t *testing.T) {
	render := func(threshold, periods, cmp, missing any) string {
		return norm(threshold) + " x" + norm(periods) + " " + norm(cmp) + " " + norm(missing)
	}
	cdk := map[string]string{}
	for _, r := range p.cdk.all("AWS::CloudWatch::Alarm") {
		c := r.Props
		m := []string{cdkAlarmMetric(c)}
		for _, q := range asList(c["Metrics"]) {
			if ms := get(q, "MetricStat"); ms != nil {
				m = append(m, cdkAlarmMetric(map[string]any{
					"Namespace": get(ms, "Metric.Namespace"), "MetricName": get(ms, "Metric.MetricName"), "Dimensions": get(ms, "Metric.Dimensions"),
					"Statistic": get(ms, "Stat"), "Period": get(ms, "Period"),
				}))
			}
		}
		sort.Strings(m)
		cdk[norm(c["AlarmDescription"])] = render(c["Threshold"], c["EvaluationPeriods"], c["ComparisonOperator"], c["TreatMissingData"]) + strings.Join(m, "")
	}
	tf := map[string]string{}
	for addr := range p.tf.Children["observability"].Resources {
		if !strings.HasPrefix(addr, "aws_cloudwatch_metric_alarm.") {
			continue
		}
		for _, in := range p.tfAll(t, "observability", addr) {
			v := in.Values
			m := []string{tfAlarmMetric(v)}
			for _, q := range asList(v["metric_query"]) {
				if ms, ok := get(q, "metric.0").(map[string]any); ok {
					m = append(m, tfAlarmMetric(map[string]any{
						"namespace": ms["namespace"], "metric_name": ms["metric_name"], "dimensions": ms["dimensions"],
						"statistic": ms["stat"], "period": ms["period"],
					}))
				}
			}
			sort.Strings(m)
			tf[norm(v["alarm_description"])] = render(v["threshold"], v["evaluation_periods"], v["comparison_operator"], v["treat_missing_data"]) + strings.Join(m, "")
		}
	}
	same(t, "alarm count", len(cdk), len(tf))
	for desc, c := range cdk {
		f, ok := tf[desc]
		if !ok {
			f = "<no alarm>"
		}
		same(t, "alarm "+desc, c, f)
	}
}

// alarmDimensionValues are the dimensions whose values both tools write as the same literal; the
// others (cluster, function, queue, load balancer names) differ by design or are references, and only
// their presence is compared.
var alarmDimensionValues = map[string]bool{"Broker ID": true, "Topic": true, "Consumer Group": true}

// alarmMetric renders one metric of an alarm: namespace, name, statistic, period and dimensions. An
// alarm on a math expression has no metric of its own and renders as empty; its metrics are rendered
// one by one.
func alarmMetric(namespace, name, stat, period any, dims map[string]any) string {
	if namespace == nil && name == nil {
		return ""
	}
	keys := make([]string, 0, len(dims))
	for k := range dims {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for i, k := range keys {
		if alarmDimensionValues[k] {
			keys[i] = k + "=" + norm(dims[k])
		}
	}
	return " " + norm(namespace) + "/" + norm(name) + " " + norm(stat) + " " + norm(period) + "s {" + strings.Join(keys, ",") + "}"
}

func cdkAlarmMetric(c map[string]any) string {
	dims := map[string]any{}
	for _, d := range asList(c["Dimensions"]) {
		dims[norm(get(d, "Name"))] = get(d, "Value")
	}
	stat := c["Statistic"]
	if stat == nil {
		stat = c["ExtendedStatistic"]
	}
	return alarmMetric(c["Namespace"], c["MetricName"], stat, c["Period"], dims)
}

func tfAlarmMetric(v map[string]any) string {
	dims, _ := v["dimensions"].(map[string]any)
	stat := v["statistic"]
	if stat == nil {
		stat = v["extended_statistic"]
	}
	return alarmMetric(v["namespace"], v["metric_name"], stat, v["period"], dims)
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

// accessTables compares the least-privilege tables both tools generate their IAM policies from: the
// topics, groups, transactional ids and secrets of each workload and each Lambda.
func (p *parity) accessTables(t *testing.T) {
	list := func(l []string) []any {
		out := make([]any, len(l))
		for i, s := range l {
			out[i] = s
		}
		return out
	}
	wl := tfeval.ToGo(p.tf.Children["workloads"].Locals["access"]).(map[string]any)
	same(t, "workloads with roles", len(stacks.Access), len(wl))
	for w, a := range stacks.Access {
		f := wl[w]
		sameSet(t, w+" reads", list(a.Read), get(f, "read"))
		sameSet(t, w+" writes", list(a.Write), get(f, "write"))
		sameSet(t, w+" consumer groups", list(a.Groups), get(f, "groups"))
		same(t, w+" transactional ids", a.TxnPrefix, get(f, "txn_prefix"))
		same(t, w+" Redis secret", a.Redis, get(f, "redis"))
		same(t, w+" API keys secret", a.APIKeys, get(f, "api_keys"))
		same(t, w+" DocumentDB secret", a.Docdb, get(f, "docdb"))
		same(t, w+" key-encryption secret", a.KEK, get(f, "kek"))
		same(t, w+" token secret", a.Token, get(f, "token"))
	}
	fl := tfeval.ToGo(p.tf.Children["lambdas"].Locals["access"]).(map[string]any)
	same(t, "functions with roles", len(stacks.LambdaAccess), len(fl))
	for fn, a := range stacks.LambdaAccess {
		f := fl[fn]
		sameSet(t, fn+" reads", list(a.Read), get(f, "read"))
		sameSet(t, fn+" writes", list(a.Write), get(f, "write"))
		same(t, fn+" DocumentDB secret", a.Docdb, get(f, "docdb"))
		same(t, fn+" API keys secret", a.APIKeys, get(f, "api_keys"))
		same(t, fn+" key-encryption secret", a.KEK, get(f, "kek"))
		same(t, fn+" token secret", a.Token, get(f, "token"))
	}
}

// secrets compares the generated key-deriving secrets, the key-encryption secret and the token secret:
// generated the same way (length, alphabet) under the secrets key on both sides, since every function
// or pod derives the same key from its value, and described alike.
func (p *parity) secrets(t *testing.T) {
	for _, s := range []struct{ what, description, tf string }{
		{"key-encryption secret", "key-encryption", "kek"},
		{"token secret", stacks.TokenSecretDescription, "token"},
	} {
		var c map[string]any
		for _, r := range p.cdk.all("AWS::SecretsManager::Secret") {
			if strings.Contains(norm(r.Props["Description"]), s.description) {
				if c != nil {
					t.Fatalf("CDK: more than one %s", s.what)
				}
				c = r.Props
			}
		}
		if c == nil {
			t.Fatalf("CDK: no %s", s.what)
		}
		f := p.tfOne(t, "workloads", "random_password."+s.tf)
		same(t, s.what+" length", get(c, "GenerateSecretString.PasswordLength"), f["length"])
		same(t, s.what+" punctuation", get(c, "GenerateSecretString.ExcludePunctuation"), f["special"] == false)
		sec := p.tfOne(t, "workloads", "aws_secretsmanager_secret."+s.tf)
		bothPresent(t, s.what+" key", c["KmsKeyId"], sec["kms_key_id"])
		if d := norm(sec["description"]); !strings.Contains(d, s.description) {
			t.Errorf("Terraform %s description %q, want it to say %q as the CDK app's does", s.what, d, s.description)
		}
	}
}
