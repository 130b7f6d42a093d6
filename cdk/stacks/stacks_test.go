package stacks_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/crypto-oms/crypto-oms/cdk/stacks"
	"github.com/crypto-oms/crypto-oms/hotpath/estate"
)

// One app holds both profiles and is synthesized once: building and synthesizing through jsii is the
// slow part of these tests, so every test reads the shared result.
var (
	built     = map[string]*stacks.Estate{}
	templates = map[string]map[string]any{} // stack name -> parsed template
	buildErr  error
	outDir    string // the synthesized assembly, with cdk-nag's reports
)

func TestMain(m *testing.M) {
	code := func() int {
		defer jsii.Close()
		dir, err := os.MkdirTemp("", "cdk-assets-")
		if err != nil {
			buildErr = err
			return m.Run()
		}
		defer os.RemoveAll(dir)
		out, _ := os.MkdirTemp("", "cdk-out-")
		defer os.RemoveAll(out)
		outDir = out
		for _, fn := range estate.Functions {
			// Placeholder bootstraps: the templates do not depend on the binaries' contents.
			_ = os.MkdirAll(filepath.Join(dir, fn), 0o755)
			_ = os.WriteFile(filepath.Join(dir, fn, "bootstrap"), []byte("placeholder "+fn), 0o755)
		}
		app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(out)})
		for _, prof := range []string{"dev", "prod"} {
			e, err := stacks.Build(app, stacks.Config{Profile: prof, AssetDir: dir})
			if err != nil {
				buildErr = err
				return m.Run()
			}
			built[prof] = e
		}
		app.Synth(nil)
		for _, e := range built {
			for _, s := range e.Stacks() {
				templates[*s.StackName()] = templateJSON(assertions.Template_FromStack(s, nil))
			}
		}
		return m.Run()
	}()
	os.Exit(code)
}

func templateJSON(t assertions.Template) map[string]any {
	b, err := json.Marshal(t.ToJSON())
	if err != nil {
		panic(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		panic(err)
	}
	return m
}

func setup(t *testing.T) {
	t.Helper()
	if buildErr != nil {
		t.Fatalf("building the app: %v", buildErr)
	}
}

// eachProfile runs fn for dev and prod.
func eachProfile(t *testing.T, fn func(t *testing.T, e *stacks.Estate)) {
	setup(t)
	for _, prof := range []string{"dev", "prod"} {
		t.Run(prof, func(t *testing.T) { fn(t, built[prof]) })
	}
}

// resources returns the resources of one type in a stack's template, by logical id.
func resources(t *testing.T, s awscdk.Stack, typ string) map[string]map[string]any {
	t.Helper()
	tpl := templates[*s.StackName()]
	out := map[string]map[string]any{}
	for id, r := range tpl["Resources"].(map[string]any) {
		rm := r.(map[string]any)
		if rm["Type"] == typ {
			props, _ := rm["Properties"].(map[string]any)
			if props == nil {
				props = map[string]any{}
			}
			out[id] = props
		}
	}
	return out
}

// assertCDK runs a CDK assertion, which panics through jsii on failure, as a test error.
func assertCDK(t *testing.T, what string, fn func()) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("%s: %v", what, r)
		}
	}()
	fn()
}

// get walks a parsed template value by keys and indexes.
func get(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[k]
		case int:
			a, ok := v.([]any)
			if !ok || k >= len(a) {
				return nil
			}
			v = a[k]
		}
	}
	return v
}

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestNagAwsSolutionsClean(t *testing.T) {
	eachProfile(t, func(t *testing.T, e *stacks.Estate) {
		for _, s := range e.Stacks() {
			// The report proves the AwsSolutions pack actually ran on this stack.
			if m, _ := filepath.Glob(filepath.Join(outDir, "AwsSolutions-*"+*s.StackName()+"-NagReport.csv")); len(m) != 1 {
				t.Errorf("%s: no cdk-nag report, so the checks did not run", *s.StackName())
			}
			a := assertions.Annotations_FromStack(s)
			// Any error annotation fails (cdk-nag findings and rules it could not evaluate alike);
			// warnings fail when cdk-nag raised them.
			nag := assertions.Match_StringLikeRegexp(jsii.String(".*(AwsSolutions-|CdkNag).*"))
			for _, m := range append(*a.FindError(jsii.String("*"), assertions.Match_AnyValue()), *a.FindWarning(jsii.String("*"), nag)...) {
				t.Errorf("%s %s: %v", *s.StackName(), *m.Id, m.Entry.Data)
			}
		}
	})
}

func TestNagSuppressionsHaveReasons(t *testing.T) {
	setup(t)
	n := 0
	for name, tpl := range templates {
		for id, r := range tpl["Resources"].(map[string]any) {
			sup, _ := get(r, "Metadata", "cdk_nag", "rules_to_suppress").([]any)
			for _, s := range sup {
				n++
				if reason, _ := get(s, "reason").(string); len(reason) < 20 {
					t.Errorf("%s/%s: suppression %v has no real reason", name, id, get(s, "id"))
				}
			}
		}
	}
	if n == 0 {
		t.Error("no suppressions found: metadata layout changed?")
	}
}

func TestNetwork(t *testing.T) {
	eachProfile(t, func(t *testing.T, e *stacks.Estate) {
		s := e.Network.Stack
		tpl := assertions.Template_FromStack(s, nil)
		assertCDK(t, "vpc cidr", func() {
			tpl.HasResourceProperties(jsii.String("AWS::EC2::VPC"), map[string]any{"CidrBlock": e.Sizing.Network.VpcCidr})
		})
		subnets := resources(t, s, "AWS::EC2::Subnet")
		if want := 3 * e.Sizing.Network.AZCount; len(subnets) != want {
			t.Errorf("subnets = %d, want %d (public, app, data in each AZ)", len(subnets), want)
		}
		azs := map[string]bool{}
		for _, sn := range subnets {
			azs[fmt.Sprint(sn["AvailabilityZone"])] = true
			if sn["MapPublicIpOnLaunch"] == true && !strings.Contains(jsonString(sn["Tags"]), "public") {
				t.Errorf("non-public subnet maps public IPs: %v", sn["Tags"])
			}
		}
		if len(azs) != e.Sizing.Network.AZCount {
			t.Errorf("subnets span %d AZs, want %d", len(azs), e.Sizing.Network.AZCount)
		}
		if got := len(resources(t, s, "AWS::EC2::NatGateway")); got != e.Sizing.Network.NATGateways {
			t.Errorf("NAT gateways = %d, want %d", got, e.Sizing.Network.NATGateways)
		}
		assertCDK(t, "flow log", func() {
			tpl.HasResourceProperties(jsii.String("AWS::EC2::FlowLog"), map[string]any{"TrafficType": "ALL", "LogDestinationType": "cloud-watch-logs"})
		})
		endpoints := resources(t, s, "AWS::EC2::VPCEndpoint")
		var services []string
		for _, ep := range endpoints {
			services = append(services, jsonString(ep["ServiceName"]))
		}
		for _, svc := range []string{"s3", "ecr.api", "ecr.dkr", "sts", "eks-auth", "secretsmanager", "kms", "logs"} {
			if !slices.ContainsFunc(services, func(s string) bool {
				return strings.Contains(s, "."+svc+`"`) || strings.Contains(s, "."+svc+`.`) || strings.HasSuffix(s, "."+svc+`"]]}`)
			}) {
				t.Errorf("no VPC endpoint for %s in %v", svc, services)
			}
		}
		// Data security groups admit nobody but named peers, and never a CIDR.
		for id, sg := range resources(t, s, "AWS::EC2::SecurityGroup") {
			if strings.Contains(id, "Alb") {
				continue
			}
			for _, in := range asSlice(sg["SecurityGroupIngress"]) {
				// Interface endpoints admit the VPC's own CIDR; nothing admits an outside range.
				if cidr := get(in, "CidrIp"); cidr != nil && !strings.Contains(jsonString(cidr), `"CidrBlock"`) {
					t.Errorf("security group %s admits a CIDR: %v", id, in)
				}
			}
		}
		checkKeysRotate(t, s)
	})
}

func asSlice(v any) []any {
	a, _ := v.([]any)
	return a
}

func checkKeysRotate(t *testing.T, s awscdk.Stack) {
	t.Helper()
	for id, k := range resources(t, s, "AWS::KMS::Key") {
		if k["EnableKeyRotation"] != true {
			t.Errorf("%s: KMS key %s without rotation", *s.StackName(), id)
		}
	}
}

func TestData(t *testing.T) {
	eachProfile(t, func(t *testing.T, e *stacks.Estate) {
		s, p := e.Data.Stack, e.Sizing
		checkKeysRotate(t, s)
		if n := len(resources(t, s, "AWS::KMS::Key")); n < 4 {
			t.Errorf("data keys = %d, want MSK, DocumentDB, ElastiCache, secrets", n)
		}
		msk := only(t, resources(t, s, "AWS::MSK::Cluster"))
		if got := get(msk, "ClientAuthentication", "Sasl", "Iam", "Enabled"); got != true {
			t.Errorf("MSK IAM auth = %v", got)
		}
		if got := get(msk, "ClientAuthentication", "Unauthenticated", "Enabled"); got != false {
			t.Errorf("MSK unauthenticated access = %v", got)
		}
		if got := get(msk, "EncryptionInfo", "EncryptionInTransit"); jsonString(got) != `{"ClientBroker":"TLS","InCluster":true}` {
			t.Errorf("MSK in-transit = %v", jsonString(got))
		}
		if get(msk, "EncryptionInfo", "EncryptionAtRest", "DataVolumeKMSKeyId") == nil {
			t.Error("MSK at-rest key missing")
		}
		if got := get(msk, "NumberOfBrokerNodes"); got != float64(p.MSK.BrokerCount) {
			t.Errorf("brokers = %v", got)
		}
		cfg := only(t, resources(t, s, "AWS::MSK::Configuration"))
		props := fmt.Sprint(cfg["ServerProperties"])
		for _, want := range []string{fmt.Sprintf("min.insync.replicas=%d", p.MSK.MinInsyncReplicas), "auto.create.topics.enable=false", "unclean.leader.election.enable=false"} {
			if !strings.Contains(props, want) {
				t.Errorf("server properties lack %q:\n%s", want, props)
			}
		}
		if e.Name == "prod" && !strings.Contains(props, "min.insync.replicas=2") {
			t.Error("prod must run min.insync.replicas=2")
		}
		topics := map[string]map[string]any{}
		for _, tp := range resources(t, s, "AWS::MSK::Topic") {
			topics[fmt.Sprint(tp["TopicName"])] = tp
		}
		if len(topics) != len(estate.TopicNames) {
			t.Errorf("topics = %v, want %v", keys(topics), estate.TopicNames)
		}
		for _, name := range estate.TopicNames {
			tp, want := topics[name], p.MSK.Topics[name]
			raw, err := base64.StdEncoding.DecodeString(fmt.Sprint(tp["Configs"]))
			var cfgs map[string]string
			if err == nil {
				err = json.Unmarshal(raw, &cfgs)
			}
			if err != nil || cfgs["min.insync.replicas"] != fmt.Sprint(p.MSK.MinInsyncReplicas) {
				t.Errorf("topic %s configs %q (%v)", name, raw, err)
			}
			// control is keyed KIND/SCOPE/target and must keep every target's latest command for ever;
			// the other topics are cleaned up by time.
			if compact := name == "control"; (cfgs["cleanup.policy"] == "compact") != compact || compact == (cfgs["retention.ms"] != "") {
				t.Errorf("topic %s: cleanup.policy %q retention.ms %q (compacted: %v)", name, cfgs["cleanup.policy"], cfgs["retention.ms"], compact)
			}
			// executions is account state (ADR 0002): never deleted (retention.ms -1) and never compacted;
			// the others keep the sizing's retention.
			switch name {
			case "control":
			case "executions":
				if cfgs["retention.ms"] != "-1" || cfgs["cleanup.policy"] != "" {
					t.Errorf("topic executions: retention.ms %q cleanup.policy %q, want -1 and the default (delete)", cfgs["retention.ms"], cfgs["cleanup.policy"])
				}
			default:
				if want := fmt.Sprint(int64(p.MSK.RetentionHours) * 3600 * 1000); cfgs["retention.ms"] != want {
					t.Errorf("topic %s: retention.ms %q, want %s (retentionHours %d)", name, cfgs["retention.ms"], want, p.MSK.RetentionHours)
				}
			}
			if tp["PartitionCount"] != float64(want.Partitions) || tp["ReplicationFactor"] != float64(want.ReplicationFactor) {
				t.Errorf("topic %s = %v partitions x %v replicas, want %d x %d", name, tp["PartitionCount"], tp["ReplicationFactor"], want.Partitions, want.ReplicationFactor)
			}
		}
		redis := only(t, resources(t, s, "AWS::ElastiCache::ReplicationGroup"))
		for _, k := range []string{"TransitEncryptionEnabled", "AtRestEncryptionEnabled"} {
			if redis[k] != true {
				t.Errorf("redis %s = %v", k, redis[k])
			}
		}
		if !strings.Contains(jsonString(redis["AuthToken"]), "resolve:secretsmanager") {
			t.Errorf("redis AUTH token is not a Secrets Manager reference: %v", redis["AuthToken"])
		}
		if redis["KmsKeyId"] == nil || redis["MultiAZEnabled"] != p.Redis.MultiAZ || redis["Port"] != float64(p.Redis.Port) {
			t.Errorf("redis key/multi-AZ/port = %v/%v/%v", redis["KmsKeyId"], redis["MultiAZEnabled"], redis["Port"])
		}
		doc := only(t, resources(t, s, "AWS::DocDB::DBCluster"))
		if doc["StorageEncrypted"] != true || doc["KmsKeyId"] == nil {
			t.Errorf("docdb encryption = %v, key %v", doc["StorageEncrypted"], doc["KmsKeyId"])
		}
		if doc["DeletionProtection"] != p.DeletionProtection {
			t.Errorf("docdb deletion protection = %v, want %v", doc["DeletionProtection"], p.DeletionProtection)
		}
		if doc["BackupRetentionPeriod"] != float64(p.DocumentDB.BackupRetentionDays) {
			t.Errorf("docdb backups = %v", doc["BackupRetentionPeriod"])
		}
		if !strings.Contains(jsonString(doc["MasterUsername"]), "resolve:secretsmanager") || !strings.Contains(jsonString(doc["MasterUserPassword"]), "resolve:secretsmanager") {
			t.Errorf("docdb master user not from Secrets Manager: %v", doc["MasterUsername"])
		}
		secretOK := false
		for _, sec := range resources(t, s, "AWS::SecretsManager::Secret") {
			if strings.Contains(jsonString(sec["GenerateSecretString"]), `\"username\":\"`+p.DocumentDB.MasterUsername+`\"`) {
				secretOK = true
				if sec["KmsKeyId"] == nil {
					t.Error("docdb secret without the secrets key")
				}
			}
		}
		if !secretOK {
			t.Errorf("no secret for master user %q", p.DocumentDB.MasterUsername)
		}
		// The key-encryption secret: generated long enough for lambdas/boot (>= 40), under the secrets
		// key, kept when the stack goes (it seals every API secret in the store).
		kekID := *s.GetLogicalId(e.Data.KEK.Node().DefaultChild().(awscdk.CfnElement))
		kek := get(templates[*s.StackName()], "Resources", kekID)
		if gen := get(kek, "Properties", "GenerateSecretString"); get(gen, "PasswordLength") != float64(stacks.KEKSecretLength) || stacks.KEKSecretLength < 40 ||
			get(gen, "ExcludePunctuation") != true || get(kek, "Properties", "KmsKeyId") == nil || get(kek, "DeletionPolicy") != "Retain" {
			t.Errorf("key-encryption secret %s", jsonString(kek))
		}
		// The token secret: generated and kept the same way; every gateway pod derives the key that
		// signs browser sessions and WebSocket tokens from it, and order-query and admin verify with it.
		tokenID := *s.GetLogicalId(e.Data.Token.Node().DefaultChild().(awscdk.CfnElement))
		token := get(templates[*s.StackName()], "Resources", tokenID)
		if gen := get(token, "Properties", "GenerateSecretString"); get(gen, "PasswordLength") != float64(stacks.TokenSecretLength) || stacks.TokenSecretLength < 64 ||
			get(gen, "ExcludePunctuation") != true || get(token, "Properties", "KmsKeyId") == nil || get(token, "DeletionPolicy") != "Retain" {
			t.Errorf("token secret %s", jsonString(token))
		}
		if d, _ := get(token, "Properties", "Description").(string); !strings.Contains(d, stacks.TokenSecretDescription) {
			t.Errorf("token secret description %q, want it to say %q", d, stacks.TokenSecretDescription)
		}
		if tokenID == kekID {
			t.Error("the token secret is the key-encryption secret")
		}
		if out := get(templates[*s.StackName()], "Outputs", "TokenSecretArn", "Value"); jsonString(out) != `{"Ref":"`+tokenID+`"}` {
			t.Errorf("output TokenSecretArn = %s, want a Ref to %s", jsonString(out), tokenID)
		}
		pg := only(t, resources(t, s, "AWS::DocDB::DBClusterParameterGroup"))
		if get(pg, "Parameters", "tls") != "enabled" {
			t.Errorf("docdb tls parameter = %v", get(pg, "Parameters", "tls"))
		}
		if n := len(resources(t, s, "AWS::DocDB::DBInstance")); n != p.DocumentDB.Instances {
			t.Errorf("docdb instances = %d", n)
		}
	})
}

func only(t *testing.T, m map[string]map[string]any) map[string]any {
	t.Helper()
	if len(m) != 1 {
		t.Fatalf("want exactly one resource, have %d: %v", len(m), keys(m))
	}
	for _, v := range m {
		return v
	}
	return nil
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestCompute(t *testing.T) {
	eachProfile(t, func(t *testing.T, e *stacks.Estate) {
		s, p := e.Compute.Stack, e.Sizing
		checkKeysRotate(t, s)
		cl := only(t, resources(t, s, "AWS::EKS::Cluster"))
		if cl["Version"] != p.EKS.Version || get(cl, "EncryptionConfig", 0, "Resources", 0) != "secrets" {
			t.Errorf("eks version %v, encryption %v", cl["Version"], jsonString(cl["EncryptionConfig"]))
		}
		if n := len(asSlice(get(cl, "Logging", "ClusterLogging", "EnabledTypes"))); n != 5 {
			t.Errorf("eks control plane log types = %d, want 5", n)
		}
		ng := only(t, resources(t, s, "AWS::EKS::Nodegroup"))
		if jsonString(ng["ScalingConfig"]) != fmt.Sprintf(`{"DesiredSize":%d,"MaxSize":%d,"MinSize":%d}`, p.EKS.NodeDesired, p.EKS.NodeMax, p.EKS.NodeMin) {
			t.Errorf("node scaling = %v", jsonString(ng["ScalingConfig"]))
		}
		if jsonString(ng["InstanceTypes"]) != `["`+p.EKS.NodeInstanceType+`"]` || ng["AmiType"] != "AL2023_ARM_64_STANDARD" {
			t.Errorf("nodes = %v %v", ng["InstanceTypes"], ng["AmiType"])
		}
		repos := resources(t, s, "AWS::ECR::Repository")
		if len(repos) != len(estate.Workloads) {
			t.Errorf("repositories = %d", len(repos))
		}
		for id, r := range repos {
			if get(r, "ImageScanningConfiguration", "ScanOnPush") != true || r["ImageTagMutability"] != "IMMUTABLE" {
				t.Errorf("repo %s: scan %v, mutability %v", id, r["ImageScanningConfiguration"], r["ImageTagMutability"])
			}
		}
		assoc := map[string]bool{}
		for _, a := range resources(t, s, "AWS::EKS::PodIdentityAssociation") {
			assoc[fmt.Sprint(a["Namespace"], "/", a["ServiceAccount"])] = true
		}
		for _, w := range estate.Workloads {
			if !assoc[stacks.Namespace+"/"+w] {
				t.Errorf("no pod identity for %s (have %v)", w, keys(assoc))
			}
		}
		// The gateway pods look up admin-created API keys in DocumentDB.
		docdbFromNodes := false
		for _, in := range resources(t, s, "AWS::EC2::SecurityGroupIngress") {
			if strings.Contains(jsonString(in["GroupId"]), "DocdbSG") && in["FromPort"] == float64(p.DocumentDB.Port) &&
				strings.Contains(jsonString(in["SourceSecurityGroupId"]), "ClusterSecurityGroupId") {
				docdbFromNodes = true
			}
		}
		if !docdbFromNodes {
			t.Error("EKS pods may not reach DocumentDB")
		}
		addons := map[string]bool{}
		for _, a := range resources(t, s, "AWS::EKS::Addon") {
			addons[fmt.Sprint(a["AddonName"])] = true
		}
		if !addons["eks-pod-identity-agent"] {
			t.Errorf("addons %v lack the pod identity agent", keys(addons))
		}
	})
}

// TestWorkloadKafkaScopes checks that each pod role names exactly the topics of stacks.Access.
func TestWorkloadKafkaScopes(t *testing.T) {
	eachProfile(t, func(t *testing.T, e *stacks.Estate) {
		s := e.Compute.Stack
		policies := resources(t, s, "AWS::IAM::Policy")
		for _, w := range estate.Workloads {
			acc := stacks.Access[w]
			read, write := topicGrants(t, s, "Role"+w)
			// Secrets: the gateway reads the Redis token, the API keys, the store's user, the
			// key-encryption and the token secrets; nobody else reads any.
			secrets := 0
			for _, pol := range policies {
				if strings.Contains(jsonString(pol["Roles"]), "Role"+w) {
					secrets += strings.Count(jsonString(pol["PolicyDocument"]), "secretsmanager:GetSecretValue")
				}
			}
			want := 0
			for _, reads := range []bool{acc.Redis, acc.APIKeys, acc.Docdb, acc.KEK, acc.Token} {
				if reads {
					want++
				}
			}
			if secrets != want {
				t.Errorf("%s: reads %d secrets, want %d", w, secrets, want)
			}
			wantR, wantW := slices.Sorted(slices.Values(acc.Read)), slices.Sorted(slices.Values(acc.Write))
			if !slices.Equal(read, wantR) || !slices.Equal(write, wantW) {
				t.Errorf("%s: reads %v writes %v, want %v / %v", w, read, write, wantR, wantW)
			}
		}
	})
}

// topicGrants returns the topics that the policies attached to roles whose logical id starts with
// rolePrefix may read and write.
func topicGrants(t *testing.T, s awscdk.Stack, rolePrefix string) (read, write []string) {
	t.Helper()
	for _, pol := range resources(t, s, "AWS::IAM::Policy") {
		if !strings.Contains(jsonString(pol["Roles"]), `"Ref":"`+rolePrefix) {
			continue
		}
		for _, st := range asSlice(get(pol, "PolicyDocument", "Statement")) {
			actions := jsonString(get(st, "Action"))
			for _, topic := range estate.TopicNames {
				if !strings.Contains(jsonString(get(st, "Resource")), `/`+topic+`"`) {
					continue
				}
				if strings.Contains(actions, "kafka-cluster:ReadData") {
					read = append(read, topic)
				}
				if strings.Contains(actions, `kafka-cluster:WriteData"`) {
					write = append(write, topic)
				}
			}
		}
	}
	sort.Strings(read)
	sort.Strings(write)
	return read, write
}

func TestLambdaKafkaScopes(t *testing.T) {
	eachProfile(t, func(t *testing.T, e *stacks.Estate) {
		for _, fn := range estate.Functions {
			acc := stacks.LambdaAccess[fn]
			read, write := topicGrants(t, e.Edge.Stack, "Role"+strings.ReplaceAll(fn, "-", ""))
			if !slices.Equal(read, slices.Sorted(slices.Values(acc.Read))) || !slices.Equal(write, slices.Sorted(slices.Values(acc.Write))) {
				t.Errorf("%s: reads %v writes %v, want %v / %v", fn, read, write, acc.Read, acc.Write)
			}
		}
		// Every consumer's function may read its topic.
		for _, c := range e.Routes.Consumers {
			if !slices.Contains(stacks.LambdaAccess[c.Function].Read, c.Topic) {
				t.Errorf("consumer %s <- %s: the function's role may not read the topic", c.Function, c.Topic)
			}
		}
	})
}

// TestTokenSecretReaders: the token secret signs the gateway's browser sessions and WebSocket tokens,
// so the gateway pods and the two functions that verify sessions, order-query and admin, read it; no
// other role does, and the access tables say the same.
func TestTokenSecretReaders(t *testing.T) {
	want := []string{"admin", "gateway", "order-query"}
	var fromTables []string
	for w, a := range stacks.Access {
		if a.Token {
			fromTables = append(fromTables, w)
		}
	}
	for fn, a := range stacks.LambdaAccess {
		if a.Token {
			fromTables = append(fromTables, fn)
		}
	}
	if slices.Sort(fromTables); !slices.Equal(fromTables, want) {
		t.Errorf("access tables give the token secret to %v, want %v", fromTables, want)
	}
	eachProfile(t, func(t *testing.T, e *stacks.Estate) {
		tokenID := *e.Data.Stack.GetLogicalId(e.Data.Token.Node().DefaultChild().(awscdk.CfnElement))
		roles := map[string]string{} // logical id prefix of the role -> workload or function
		for _, w := range estate.Workloads {
			roles["Role"+w] = w
		}
		for _, fn := range estate.Functions {
			roles["Role"+strings.ReplaceAll(fn, "-", "")] = fn
		}
		var readers []string
		for _, s := range e.Stacks() {
			for id, pol := range resources(t, s, "AWS::IAM::Policy") {
				reads := false
				for _, st := range asSlice(get(pol, "PolicyDocument", "Statement")) {
					if strings.Contains(jsonString(get(st, "Action")), "secretsmanager:GetSecretValue") && strings.Contains(jsonString(get(st, "Resource")), tokenID) {
						reads = true
					}
				}
				if !reads {
					continue
				}
				for _, r := range asSlice(pol["Roles"]) {
					ref, _ := get(r, "Ref").(string)
					name, longest := "", 0
					for prefix, n := range roles {
						if strings.HasPrefix(ref, prefix) && len(prefix) > longest {
							name, longest = n, len(prefix)
						}
					}
					if name == "" {
						t.Errorf("%s/%s: role %s reads the token secret", *s.StackName(), id, jsonString(r))
						continue
					}
					readers = append(readers, name)
				}
			}
		}
		slices.Sort(readers)
		if readers = slices.Compact(readers); !slices.Equal(readers, want) {
			t.Errorf("the token secret is read by %v, want %v", readers, want)
		}
	})
}

func TestNoWildcardActions(t *testing.T) {
	setup(t)
	for name, tpl := range templates {
		for id, r := range tpl["Resources"].(map[string]any) {
			typ := get(r, "Type")
			var docs []any
			switch typ {
			case "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy":
				docs = append(docs, get(r, "Properties", "PolicyDocument"))
			case "AWS::IAM::Role":
				for _, p := range asSlice(get(r, "Properties", "Policies")) {
					docs = append(docs, get(p, "PolicyDocument"))
				}
			case "AWS::S3::BucketPolicy", "AWS::SNS::TopicPolicy", "AWS::SQS::QueuePolicy":
				docs = append(docs, get(r, "Properties", "PolicyDocument"))
			default:
				continue
			}
			for _, d := range docs {
				for _, st := range asSlice(get(d, "Statement")) {
					acts := get(st, "Action")
					list := asSlice(acts)
					if s, ok := acts.(string); ok {
						list = []any{s}
					}
					for _, a := range list {
						as := fmt.Sprint(a)
						if as == "*" || (strings.HasSuffix(as, ":*") && get(st, "Effect") == "Allow") {
							t.Errorf("%s/%s: wildcard action %q", name, id, as)
						}
					}
				}
			}
		}
	}
}

func TestLambdas(t *testing.T) {
	eachProfile(t, func(t *testing.T, e *stacks.Estate) {
		s := e.Edge.Stack
		fns := resources(t, s, "AWS::Lambda::Function")
		seen := 0
		for id, f := range fns {
			if !strings.HasPrefix(id, "Fn") {
				continue // aws-cdk-lib helpers
			}
			seen++
			if f["Runtime"] != "provided.al2023" || jsonString(f["Architectures"]) != `["arm64"]` || f["Handler"] != "bootstrap" {
				t.Errorf("%s: runtime %v arch %v handler %v", id, f["Runtime"], f["Architectures"], f["Handler"])
			}
			if len(asSlice(get(f, "VpcConfig", "SubnetIds"))) == 0 {
				t.Errorf("%s: not VPC-attached", id)
			}
		}
		if seen != len(estate.Functions) {
			t.Errorf("functions = %d, want %d", seen, len(estate.Functions))
		}
		for _, fn := range estate.Functions {
			sz := e.Sizing.Lambdas[fn]
			assertCDK(t, fn, func() {
				assertions.Template_FromStack(s, nil).HasResourceProperties(jsii.String("AWS::Lambda::Function"), map[string]any{
					"FunctionName": assertions.Match_StringLikeRegexp(jsii.String(".*-" + fn + "$")),
					"MemorySize":   sz.MemoryMiB, "Timeout": sz.TimeoutSeconds, "ReservedConcurrentExecutions": sz.ReservedConcurrency,
				})
			})
		}
		for id, lg := range resources(t, s, "AWS::Logs::LogGroup") {
			if lg["RetentionInDays"] == nil || lg["KmsKeyId"] == nil {
				t.Errorf("log group %s: retention %v key %v", id, lg["RetentionInDays"], lg["KmsKeyId"])
			}
		}
	})
}

func TestEventSourceMappings(t *testing.T) {
	eachProfile(t, func(t *testing.T, e *stacks.Estate) {
		s := e.Edge.Stack
		esms := resources(t, s, "AWS::Lambda::EventSourceMapping")
		if len(esms) != len(e.Routes.Consumers) {
			t.Errorf("event source mappings = %d, want %d", len(esms), len(e.Routes.Consumers))
		}
		for _, c := range e.Routes.Consumers {
			fnID := *s.GetLogicalId(e.Edge.Functions[c.Function].Node().DefaultChild().(awscdk.CfnElement))
			found := false
			for id, m := range esms {
				if jsonString(m["FunctionName"]) != `{"Ref":"`+fnID+`"}` {
					continue
				}
				found = true
				if jsonString(m["Topics"]) != `["`+c.Topic+`"]` || m["BatchSize"] != float64(c.BatchSize) ||
					m["MaximumBatchingWindowInSeconds"] != float64(c.MaxBatchingWindowSeconds) || m["StartingPosition"] != c.StartingPosition {
					t.Errorf("%s (%s): %v", id, c.Function, jsonString(m))
				}
				if !strings.Contains(jsonString(m["EventSourceArn"]), "Msk") {
					t.Errorf("%s: source %v is not the MSK cluster", id, m["EventSourceArn"])
				}
				if get(m, "DestinationConfig", "OnFailure", "Destination") == nil {
					t.Errorf("%s: no on-failure destination", id)
				}
				if get(m, "AmazonManagedKafkaEventSourceConfig", "ConsumerGroupId") != c.Function {
					t.Errorf("%s: consumer group %v", id, get(m, "AmazonManagedKafkaEventSourceConfig"))
				}
			}
			if !found {
				t.Errorf("no event source mapping for %s <- %s", c.Function, c.Topic)
			}
		}
	})
}

func TestListenerRulesMatchRouteTable(t *testing.T) {
	eachProfile(t, func(t *testing.T, e *stacks.Estate) {
		s := e.Edge.Stack
		tgIDs := map[string]string{}
		for name, tg := range e.Edge.TargetGroups {
			tgIDs[*s.GetLogicalId(tg.Node().DefaultChild().(awscdk.CfnElement))] = name
		}
		rules := resources(t, s, "AWS::ElasticLoadBalancingV2::ListenerRule")
		if len(rules) != len(e.Routes.Routes) {
			t.Errorf("listener rules = %d, routes = %d", len(rules), len(e.Routes.Routes))
		}
		byPrio := map[float64]map[string]any{}
		for _, r := range rules {
			byPrio[r["Priority"].(float64)] = r
		}
		for _, rt := range e.Routes.Routes {
			r, ok := byPrio[float64(rt.Priority)]
			if !ok {
				t.Errorf("route %s: no rule with priority %d", rt.Name, rt.Priority)
				continue
			}
			var paths, methods []string
			for _, c := range asSlice(r["Conditions"]) {
				switch get(c, "Field") {
				case "path-pattern":
					for _, v := range asSlice(get(c, "PathPatternConfig", "Values")) {
						paths = append(paths, v.(string))
					}
				case "http-request-method":
					for _, v := range asSlice(get(c, "HttpRequestMethodConfig", "Values")) {
						methods = append(methods, v.(string))
					}
				default:
					t.Errorf("route %s: unexpected condition %v", rt.Name, jsonString(c))
				}
			}
			if !slices.Equal(paths, rt.Paths) || !slices.Equal(methods, rt.Methods) && !(len(methods) == 0 && len(rt.Methods) == 0) {
				t.Errorf("route %s: rule paths %v methods %v, want %v %v", rt.Name, paths, methods, rt.Paths, rt.Methods)
			}
			acts := asSlice(r["Actions"])
			if len(acts) != 1 || get(acts[0], "Type") != "forward" {
				t.Errorf("route %s: actions %v", rt.Name, jsonString(acts))
				continue
			}
			ref, _ := get(acts[0], "TargetGroupArn", "Ref").(string)
			if tgIDs[ref] != rt.Target {
				t.Errorf("route %s: forwards to %q (%s), want %q", rt.Name, tgIDs[ref], ref, rt.Target)
			}
		}
		gw := resources(t, s, "AWS::ElasticLoadBalancingV2::TargetGroup")[*s.GetLogicalId(e.Edge.GatewayTarget.Node().DefaultChild().(awscdk.CfnElement))]
		if gw["TargetType"] != "ip" || gw["Port"] != float64(e.Sizing.Workloads["gateway"].Port) {
			t.Errorf("gateway target group = %v", jsonString(gw))
		}
		tpl := assertions.Template_FromStack(s, nil)
		assertCDK(t, "https listener", func() {
			tpl.HasResourceProperties(jsii.String("AWS::ElasticLoadBalancingV2::Listener"), map[string]any{
				"Port": 443, "Protocol": "HTTPS", "SslPolicy": e.Sizing.ALB.SSLPolicy,
				"Certificates": []any{map[string]any{"CertificateArn": e.Sizing.ALB.CertificateARN}},
			})
		})
		assertCDK(t, "http redirect", func() {
			tpl.HasResourceProperties(jsii.String("AWS::ElasticLoadBalancingV2::Listener"), map[string]any{
				"Port": 80, "Protocol": "HTTP",
				"DefaultActions": []any{map[string]any{"Type": "redirect", "RedirectConfig": map[string]any{"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}},
			})
		})
		assertCDK(t, "waf rate rule", func() {
			tpl.HasResourceProperties(jsii.String("AWS::WAFv2::WebACL"), map[string]any{
				"Scope": "REGIONAL",
				"Rules": assertions.Match_ArrayWith(&[]any{assertions.Match_ObjectLike(&map[string]any{
					"Statement": map[string]any{"RateBasedStatement": map[string]any{"Limit": e.Sizing.WAF.RateLimitPer5Min, "AggregateKeyType": "IP"}},
					"Action":    map[string]any{"Block": map[string]any{}},
				})}),
			})
		})
		assertCDK(t, "waf on alb", func() { tpl.ResourceCountIs(jsii.String("AWS::WAFv2::WebACLAssociation"), jsii.Number(1)) })
	})
}

func TestAlarms(t *testing.T) {
	eachProfile(t, func(t *testing.T, e *stacks.Estate) {
		alarms := resources(t, e.Edge.Stack, "AWS::CloudWatch::Alarm")
		all := jsonString(alarms)
		for _, want := range []string{"MaxOffsetLag", "OffsetLag", "HTTPCode_Target_5XX_Count", "TargetResponseTime", "MessagesInPerSec", "ApproximateNumberOfMessagesVisible", "Errors", "KafkaDataLogsDiskUsed"} {
			if !strings.Contains(all, `"`+want+`"`) {
				t.Errorf("no alarm on %s", want)
			}
		}
		for id, a := range alarms {
			if len(asSlice(a["AlarmActions"])) == 0 {
				t.Errorf("alarm %s notifies nobody", id)
			}
		}
		// executions is kept forever, so every broker's disk has its own alarm at the sizing's threshold.
		brokers := map[string]bool{}
		for id, a := range alarms {
			if a["MetricName"] != "KafkaDataLogsDiskUsed" {
				continue
			}
			dims := map[string]any{}
			for _, d := range asSlice(a["Dimensions"]) {
				dims[fmt.Sprint(get(d, "Name"))] = get(d, "Value")
			}
			if a["Namespace"] != "AWS/Kafka" || a["Statistic"] != "Maximum" || a["Period"] != float64(300) ||
				a["Threshold"] != float64(e.Sizing.Alarms.MSKDiskUsedPercent) || a["ComparisonOperator"] != "GreaterThanOrEqualToThreshold" ||
				dims["Cluster Name"] != e.Data.MskClusterName || len(dims) != 2 {
				t.Errorf("disk alarm %s = %s", id, jsonString(a))
			}
			brokers[fmt.Sprint(dims["Broker ID"])] = true
		}
		for b := 1; b <= e.Sizing.MSK.BrokerCount; b++ {
			if !brokers[fmt.Sprint(b)] {
				t.Errorf("no disk alarm for broker %d (have %v)", b, brokers)
			}
		}
		if len(brokers) != e.Sizing.MSK.BrokerCount {
			t.Errorf("disk alarms for brokers %v, want 1..%d", brokers, e.Sizing.MSK.BrokerCount)
		}
	})
}

func TestFrontend(t *testing.T) {
	eachProfile(t, func(t *testing.T, e *stacks.Estate) {
		s := e.Frontend.Stack
		checkKeysRotate(t, s)
		for id, b := range resources(t, s, "AWS::S3::Bucket") {
			if jsonString(b["PublicAccessBlockConfiguration"]) != `{"BlockPublicAcls":true,"BlockPublicPolicy":true,"IgnorePublicAcls":true,"RestrictPublicBuckets":true}` {
				t.Errorf("bucket %s public access block = %v", id, jsonString(b["PublicAccessBlockConfiguration"]))
			}
			if b["BucketEncryption"] == nil {
				t.Errorf("bucket %s unencrypted", id)
			}
		}
		dashID := *s.GetLogicalId(e.Frontend.Bucket.Node().DefaultChild().(awscdk.CfnElement))
		dash := resources(t, s, "AWS::S3::Bucket")[dashID]
		if get(dash, "BucketEncryption", "ServerSideEncryptionConfiguration", 0, "ServerSideEncryptionByDefault", "SSEAlgorithm") != "aws:kms" {
			t.Errorf("dashboard bucket not KMS-encrypted: %v", jsonString(dash["BucketEncryption"]))
		}
		for id, bp := range resources(t, s, "AWS::S3::BucketPolicy") {
			for _, st := range asSlice(get(bp, "PolicyDocument", "Statement")) {
				if get(st, "Effect") == "Allow" && jsonString(get(st, "Principal")) == `"*"` || jsonString(get(st, "Principal")) == `{"AWS":"*"}` && get(st, "Effect") == "Allow" {
					t.Errorf("bucket policy %s allows anyone: %v", id, jsonString(st))
				}
			}
		}
		if n := len(resources(t, s, "AWS::CloudFront::OriginAccessControl")); n != 1 {
			t.Errorf("origin access controls = %d", n)
		}
		dist := only(t, resources(t, s, "AWS::CloudFront::Distribution"))
		patterns := map[string]any{}
		for _, b := range asSlice(get(dist, "DistributionConfig", "CacheBehaviors")) {
			patterns[fmt.Sprint(get(b, "PathPattern"))] = b
		}
		for _, p := range []string{"/api/*", "/ws"} {
			b, ok := patterns[p]
			if !ok {
				t.Errorf("no %s behaviour (have %v)", p, keys(patterns))
				continue
			}
			if get(b, "ViewerProtocolPolicy") != "https-only" {
				t.Errorf("%s viewer protocol = %v", p, get(b, "ViewerProtocolPolicy"))
			}
		}
		origins := jsonString(get(dist, "DistributionConfig", "Origins"))
		if !strings.Contains(origins, e.Sizing.ALB.DomainName) || !strings.Contains(origins, `"OriginProtocolPolicy":"https-only"`) {
			t.Errorf("ALB origin missing or not HTTPS-only: %s", origins)
		}
	})
}

// SynthTemplates is the API the Terraform parity test calls; check its shape on one profile.
func TestSynthTemplates(t *testing.T) {
	dir := t.TempDir()
	for _, fn := range estate.Functions {
		if err := os.MkdirAll(filepath.Join(dir, fn), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, fn, "bootstrap"), []byte("x"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	tpls, err := stacks.SynthTemplates("dev", dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range []string{"Network", "Data", "Compute", "Edge", "Frontend"} {
		res, _ := get(tpls["CryptoOms-dev-"+kind], "Resources").(map[string]any)
		if len(res) == 0 {
			t.Errorf("stack %s: no resources (have stacks %v)", kind, keys(tpls))
		}
	}
	if len(tpls) != 5 {
		t.Errorf("stacks = %v", keys(tpls))
	}
}

func TestMissingBootstrapFails(t *testing.T) {
	_, err := stacks.SynthTemplates("dev", t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "make lambdas") {
		t.Fatalf("err = %v, want a hint to run make lambdas", err)
	}
}

func TestUnknownProfileFails(t *testing.T) {
	if _, err := stacks.SynthTemplates("staging", t.TempDir()); err == nil || !strings.Contains(err.Error(), "staging") {
		t.Fatalf("err = %v", err)
	}
}
