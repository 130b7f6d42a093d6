package k8s_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path"
	"path/filepath"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"sigs.k8s.io/yaml"

	"github.com/crypto-oms/crypto-oms/cdk/envscan"
	"github.com/crypto-oms/crypto-oms/cdk/k8s"
	"github.com/crypto-oms/crypto-oms/hotpath/estate"
)

func values() k8s.Values {
	v := k8s.Values{
		Region: "us-east-1", Brokers: "b-1.example:9098,b-2.example:9098", RedisEndpoint: "master.redis.example",
		RedisAuthSecretArn:    "arn:aws:secretsmanager:us-east-1:111111111111:secret:redis-AbCdEf",
		APIKeysSecretArn:      "arn:aws:secretsmanager:us-east-1:111111111111:secret:keys-AbCdEf",
		GatewayTargetGroupArn: "arn:aws:elasticloadbalancing:us-east-1:111111111111:targetgroup/gw/0123456789abcdef",
		Images:                map[string]string{},
		DocdbEndpoint:         "oms.cluster-abc.us-east-1.docdb.amazonaws.com",
		DocdbSecretArn:        "arn:aws:secretsmanager:us-east-1:111111111111:secret:docdb-AbCdEf",
		KEKSecretArn:          "arn:aws:secretsmanager:us-east-1:111111111111:secret:kek-AbCdEf",
		TokenSecretArn:        "arn:aws:secretsmanager:us-east-1:111111111111:secret:token-AbCdEf",
	}
	for _, w := range estate.Workloads {
		v.Images[w] = "111111111111.dkr.ecr.us-east-1.amazonaws.com/cryptooms-dev-compute/" + w + ":v1"
	}
	return v
}

// The CRDs are not in k8s.io/api; these mirror the fields of their published schemas that we use, so
// strict decoding still catches a typo.
type secretProviderClass struct {
	APIVersion string             `json:"apiVersion"`
	Kind       string             `json:"kind"`
	Metadata   metav1ObjectMeta   `json:"metadata"`
	Spec       secretProviderSpec `json:"spec"`
}

type metav1ObjectMeta struct {
	Name      string            `json:"name"`
	Namespace string            `json:"namespace"`
	Labels    map[string]string `json:"labels"`
}

type secretProviderSpec struct {
	Provider      string            `json:"provider"`
	Parameters    map[string]string `json:"parameters"`
	SecretObjects []struct {
		SecretName string `json:"secretName"`
		Type       string `json:"type"`
		Data       []struct {
			ObjectName string `json:"objectName"`
			Key        string `json:"key"`
		} `json:"data"`
	} `json:"secretObjects"`
}

type targetGroupBinding struct {
	APIVersion string           `json:"apiVersion"`
	Kind       string           `json:"kind"`
	Metadata   metav1ObjectMeta `json:"metadata"`
	Spec       struct {
		ServiceRef struct {
			Name string `json:"name"`
			Port int    `json:"port"`
		} `json:"serviceRef"`
		TargetGroupARN string `json:"targetGroupARN"`
		TargetType     string `json:"targetType"`
	} `json:"spec"`
}

// decoded is every manifest, strictly decoded into its typed form.
type decoded struct {
	deployments map[string]appsv1.Deployment
	hpas        map[string]autoscalingv2.HorizontalPodAutoscaler
	pdbs        map[string]policyv1.PodDisruptionBudget
	services    map[string]corev1.Service
	accounts    map[string]corev1.ServiceAccount
	tgb         *targetGroupBinding
	spc         *secretProviderClass
}

func decodeAll(t *testing.T, stream []byte) decoded {
	t.Helper()
	d := decoded{
		deployments: map[string]appsv1.Deployment{}, hpas: map[string]autoscalingv2.HorizontalPodAutoscaler{},
		pdbs: map[string]policyv1.PodDisruptionBudget{}, services: map[string]corev1.Service{}, accounts: map[string]corev1.ServiceAccount{},
	}
	for i, doc := range bytes.Split(stream, []byte("\n---\n")) {
		var head struct{ Kind string }
		if err := yaml.Unmarshal(doc, &head); err != nil {
			t.Fatalf("doc %d: %v", i, err)
		}
		strict := func(v any) {
			t.Helper()
			if err := yaml.UnmarshalStrict(doc, v); err != nil {
				t.Fatalf("doc %d (%s): strict decode: %v\n%s", i, head.Kind, err, doc)
			}
		}
		switch head.Kind {
		case "Namespace":
			var ns corev1.Namespace
			strict(&ns)
		case "ServiceAccount":
			var sa corev1.ServiceAccount
			strict(&sa)
			d.accounts[sa.Name] = sa
		case "Deployment":
			var dep appsv1.Deployment
			strict(&dep)
			d.deployments[dep.Name] = dep
		case "Service":
			var s corev1.Service
			strict(&s)
			d.services[s.Name] = s
		case "HorizontalPodAutoscaler":
			var h autoscalingv2.HorizontalPodAutoscaler
			strict(&h)
			d.hpas[h.Name] = h
		case "PodDisruptionBudget":
			var p policyv1.PodDisruptionBudget
			strict(&p)
			d.pdbs[p.Name] = p
		case "TargetGroupBinding":
			d.tgb = &targetGroupBinding{}
			strict(d.tgb)
		case "SecretProviderClass":
			d.spc = &secretProviderClass{}
			strict(d.spc)
		default:
			t.Fatalf("doc %d: unexpected kind %q", i, head.Kind)
		}
	}
	return d
}

func render(t *testing.T, profile string) (estate.Profile, decoded) {
	t.Helper()
	s, err := estate.LoadSizing()
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.Profile(profile)
	if err != nil {
		t.Fatal(err)
	}
	objs, err := k8s.Render(p, values())
	if err != nil {
		t.Fatal(err)
	}
	y, err := k8s.YAML(objs)
	if err != nil {
		t.Fatal(err)
	}
	return p, decodeAll(t, y)
}

func TestManifestsMatchSizing(t *testing.T) {
	for _, profile := range []string{"dev", "prod"} {
		t.Run(profile, func(t *testing.T) {
			p, d := render(t, profile)
			for _, w := range estate.Workloads {
				wl := p.Workloads[w]
				dep, ok := d.deployments[w]
				if !ok {
					t.Fatalf("no deployment %s", w)
				}
				if dep.Namespace != k8s.Namespace || *dep.Spec.Replicas != int32(wl.Replicas) {
					t.Errorf("%s: namespace %s replicas %d", w, dep.Namespace, *dep.Spec.Replicas)
				}
				pod := dep.Spec.Template.Spec
				if pod.ServiceAccountName != w || d.accounts[w].Name != w {
					t.Errorf("%s: service account %q", w, pod.ServiceAccountName)
				}
				if pod.SecurityContext.RunAsNonRoot == nil || !*pod.SecurityContext.RunAsNonRoot {
					t.Errorf("%s: may run as root", w)
				}
				if len(pod.TopologySpreadConstraints) == 0 || pod.TopologySpreadConstraints[0].TopologyKey != "topology.kubernetes.io/zone" {
					t.Errorf("%s: no zone spread", w)
				}
				c := pod.Containers[0]
				want := corev1.ResourceRequirements{
					Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse(fmt.Sprintf("%dm", wl.CPURequestMilli)), corev1.ResourceMemory: resource.MustParse(fmt.Sprintf("%dMi", wl.MemoryRequestMiB))},
					Limits:   corev1.ResourceList{corev1.ResourceCPU: resource.MustParse(fmt.Sprintf("%dm", wl.CPULimitMilli)), corev1.ResourceMemory: resource.MustParse(fmt.Sprintf("%dMi", wl.MemoryLimitMiB))},
				}
				for _, rn := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
					if c.Resources.Requests.Name(rn, resource.DecimalSI).Cmp(want.Requests[rn]) != 0 {
						t.Errorf("%s: request %s = %v", w, rn, c.Resources.Requests[rn])
					}
					if c.Resources.Limits.Name(rn, resource.DecimalSI).Cmp(want.Limits[rn]) != 0 {
						t.Errorf("%s: limit %s = %v", w, rn, c.Resources.Limits[rn])
					}
				}
				if c.ReadinessProbe == nil || c.LivenessProbe == nil || c.ReadinessProbe.HTTPGet == nil {
					t.Errorf("%s: probes missing", w)
				}
				if c.SecurityContext == nil || c.SecurityContext.AllowPrivilegeEscalation == nil || *c.SecurityContext.AllowPrivilegeEscalation {
					t.Errorf("%s: privilege escalation allowed", w)
				}
				if c.Image != values().Images[w] {
					t.Errorf("%s: image %s", w, c.Image)
				}
				h := d.hpas[w]
				if *h.Spec.MinReplicas != int32(wl.MinReplicas) || h.Spec.MaxReplicas != int32(wl.MaxReplicas) ||
					*h.Spec.Metrics[0].Resource.Target.AverageUtilization != int32(wl.TargetCPUPercent) || h.Spec.ScaleTargetRef.Name != w {
					t.Errorf("%s: hpa %+v", w, h.Spec)
				}
				if pdb := d.pdbs[w]; pdb.Spec.MinAvailable == nil || pdb.Spec.MinAvailable.IntValue() != wl.MinAvailable {
					t.Errorf("%s: pdb minAvailable %v", w, pdb.Spec.MinAvailable)
				}
				envs := map[string]corev1.EnvVar{}
				for _, e := range c.Env {
					envs[e.Name] = e
				}
				if envs["OMS_KAFKA_BROKERS"].Value != values().Brokers {
					t.Errorf("%s: brokers env %v", w, envs["OMS_KAFKA_BROKERS"])
				}
			}
			// More processor pods than order partitions would sit idle.
			if p.Workloads["processor"].MaxReplicas > p.MSK.Topics["orders"].Partitions {
				t.Errorf("processor maxReplicas %d > orders partitions %d", p.Workloads["processor"].MaxReplicas, p.MSK.Topics["orders"].Partitions)
			}
			gwPod := d.deployments["gateway"].Spec.Template.Spec
			gw := gwPod.Containers[0]
			gwEnv := map[string]string{}
			for _, e := range gw.Env {
				gwEnv[e.Name] = e.Value
			}
			if gwEnv["OMS_DOCDB_ENDPOINT"] != fmt.Sprintf("%s:%d", values().DocdbEndpoint, p.DocumentDB.Port) ||
				gwEnv["OMS_DOCDB_SECRET_ARN"] != values().DocdbSecretArn || gwEnv["OMS_KEY_ENCRYPTION_SECRET_ARN"] != values().KEKSecretArn {
				t.Errorf("gateway store/key env %v", gwEnv)
			}
			// Every pod signs and verifies browser sessions and WebSocket tokens with the key derived
			// from the one secret; the key itself never sits in the environment.
			if _, literal := gwEnv["OMS_TOKEN_SECRET"]; gwEnv["OMS_TOKEN_SECRET_ARN"] != values().TokenSecretArn || literal {
				t.Errorf("gateway token-secret env %v", gwEnv)
			}
			for _, w := range estate.Workloads {
				for _, e := range d.deployments[w].Spec.Template.Spec.Containers[0].Env {
					if w != "gateway" && strings.HasPrefix(e.Name, "OMS_TOKEN_SECRET") {
						t.Errorf("%s: sets %s; only the gateway signs tokens", w, e.Name)
					}
				}
			}
			// The CA bundle file named by OMS_DOCDB_CA_FILE is mounted from the operator's ConfigMap.
			caMounted := false
			for _, m := range gw.VolumeMounts {
				for _, v := range gwPod.Volumes {
					if v.Name != m.Name || v.ConfigMap == nil || v.ConfigMap.Name != k8s.DocdbCAConfigMap {
						continue
					}
					for _, it := range v.ConfigMap.Items {
						if path.Join(m.MountPath, it.Path) == gwEnv["OMS_DOCDB_CA_FILE"] {
							caMounted = true
						}
					}
				}
			}
			if !caMounted {
				t.Errorf("OMS_DOCDB_CA_FILE=%q is not mounted from ConfigMap %s", gwEnv["OMS_DOCDB_CA_FILE"], k8s.DocdbCAConfigMap)
			}
			if gw.ReadinessProbe.HTTPGet.Path != "/health" {
				t.Errorf("gateway readiness path %s", gw.ReadinessProbe.HTTPGet.Path)
			}
			if d.tgb == nil || d.tgb.Spec.TargetGroupARN != values().GatewayTargetGroupArn || d.tgb.Spec.ServiceRef.Name != "gateway" ||
				d.tgb.Spec.ServiceRef.Port != p.Workloads["gateway"].Port || d.tgb.Spec.TargetType != "ip" {
				t.Errorf("target group binding %+v", d.tgb)
			}
			if svc := d.services["gateway"]; svc.Spec.Ports[0].Port != int32(p.Workloads["gateway"].Port) {
				t.Errorf("gateway service port %d", svc.Spec.Ports[0].Port)
			}
			if d.spc == nil || !strings.Contains(d.spc.Spec.Parameters["objects"], values().RedisAuthSecretArn) || d.spc.Spec.Parameters["usePodIdentity"] != "true" {
				t.Errorf("secret provider class %+v", d.spc)
			}
		})
	}
}

// TestEnvironmentMatchesMains holds each workload's environment to what hotpath/cmd/<workload> reads.
func TestEnvironmentMatchesMains(t *testing.T) {
	_, d := render(t, "prod")
	for _, w := range estate.Workloads {
		t.Run(w, func(t *testing.T) {
			reads, err := envscan.Reads(filepath.Join("..", "..", "hotpath", "cmd", w), filepath.Join("..", "..", "lambdas", "boot"))
			if err != nil {
				t.Fatal(err)
			}
			env := map[string]string{}
			for _, e := range d.deployments[w].Spec.Template.Spec.Containers[0].Env {
				env[e.Name] = e.Value
				if e.ValueFrom != nil {
					env[e.Name] = "from " + e.ValueFrom.String()
				}
			}
			for _, err := range envscan.Check(reads, env, envscan.Pod) {
				t.Error(err)
			}
		})
	}
}

// A misspelt field must fail: this guards the strictness the other test relies on.
func TestStrictDecodingRejectsUnknownFields(t *testing.T) {
	bad := []byte("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec: {replicas: 1, replica: 2}\n")
	var dep appsv1.Deployment
	if err := yaml.UnmarshalStrict(bad, &dep); err == nil {
		t.Fatal("unknown field accepted")
	}
	wrongType := []byte("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec: {replicas: \"two\"}\n")
	if err := yaml.UnmarshalStrict(wrongType, &dep); err == nil {
		t.Fatal("wrong type accepted")
	}
}

func TestValuesFromOutputs(t *testing.T) {
	raw := `{"CryptoOms-dev-Data":{"MskBootstrapBrokersIam":"b:9098","RedisEndpoint":"r","RedisAuthSecretArn":"arn:r",
	"DocdbEndpoint":"d","DocdbSecretArn":"arn:d","KeyEncryptionSecretArn":"arn:kek","TokenSecretArn":"arn:token"},
	"CryptoOms-dev-Compute":{"ApiKeysSecretArn":"arn:k","RepoGateway":"repo/g","RepoProcessor":"repo/p","RepoMarketdata":"repo/m"},
	"CryptoOms-dev-Edge":{"GatewayTargetGroupArn":"arn:tg"}}`
	var outputs map[string]map[string]string
	if err := json.Unmarshal([]byte(raw), &outputs); err != nil {
		t.Fatal(err)
	}
	v, err := k8s.ValuesFromOutputs(outputs, "dev", "us-east-1", "v7")
	if err != nil {
		t.Fatal(err)
	}
	if v.Images["processor"] != "repo/p:v7" || v.Brokers != "b:9098" || v.KEKSecretArn != "arn:kek" || v.DocdbEndpoint != "d" || v.TokenSecretArn != "arn:token" {
		t.Errorf("%+v", v)
	}
	delete(outputs["CryptoOms-dev-Data"], "TokenSecretArn")
	if _, err := k8s.ValuesFromOutputs(outputs, "dev", "us-east-1", "v7"); err == nil || !strings.Contains(err.Error(), "token secret") {
		t.Errorf("missing token secret accepted: %v", err)
	}
	outputs["CryptoOms-dev-Data"]["TokenSecretArn"] = "arn:token"
	delete(outputs["CryptoOms-dev-Edge"], "GatewayTargetGroupArn")
	if _, err := k8s.ValuesFromOutputs(outputs, "dev", "us-east-1", "v7"); err == nil {
		t.Error("missing target group accepted")
	}
}
