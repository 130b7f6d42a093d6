// Package k8s renders the Kubernetes manifests of the hot-path workloads (gateway, processor,
// marketdata) from the same sizing profile as the CDK stacks, plus the values only a deploy knows
// (image tags, broker string, endpoints, ARNs), which come from the stacks' outputs.
//
// The manifests are plain maps rather than k8s.io/api structs on purpose: the tests then strict-decode
// them into k8s.io/api types, so a misspelt field or a wrong type fails a test instead of being
// impossible to express.
package k8s

import (
	"bytes"
	"errors"
	"fmt"
	"path"
	"strings"

	"sigs.k8s.io/yaml"

	"github.com/crypto-oms/crypto-oms/hotpath/estate"
)

// Namespace is where the workloads run; it matches the pod identity associations of the Compute stack.
const Namespace = "crypto-oms"

// DocdbCAConfigMap is the ConfigMap the operator creates from the DocumentDB CA bundle before applying
// the manifests (docs/deploy.md): kubectl -n crypto-oms create configmap docdb-ca --from-file=rds-ca.pem.
const DocdbCAConfigMap = "docdb-ca"

// DocdbCAFile is where the gateway finds the bundle (OMS_DOCDB_CA_FILE), mounted from DocdbCAConfigMap.
const DocdbCAFile = "/etc/crypto-oms/docdb-ca/rds-ca.pem"

// Values are the deploy-time inputs, read from `cdk deploy --outputs-file`.
type Values struct {
	Region                string
	Images                map[string]string // workload -> full image reference
	Brokers               string            // MSK bootstrap string, TLS + IAM
	RedisEndpoint         string            // host only; the port comes from sizing
	RedisAuthSecretArn    string
	APIKeysSecretArn      string
	GatewayTargetGroupArn string
	// The gateway verifies API keys created through the admin API: they live in DocumentDB, their
	// secrets sealed under the key derived from the key-encryption secret.
	DocdbEndpoint  string // host only; the port comes from sizing
	DocdbSecretArn string
	KEKSecretArn   string
	// Every gateway pod derives the key signing its short-lived tokens (browser sessions, WebSocket
	// connections) from this secret, so a token issued by one pod is accepted by any other.
	TokenSecretArn string
}

// Validate reports every missing value.
func (v Values) Validate() error {
	var errs []error
	for name, s := range map[string]string{
		"region": v.Region, "brokers": v.Brokers, "redis endpoint": v.RedisEndpoint, "redis auth secret": v.RedisAuthSecretArn,
		"api keys secret": v.APIKeysSecretArn, "gateway target group": v.GatewayTargetGroupArn,
		"documentdb endpoint": v.DocdbEndpoint, "documentdb secret": v.DocdbSecretArn, "key-encryption secret": v.KEKSecretArn,
		"token secret": v.TokenSecretArn,
	} {
		if s == "" {
			errs = append(errs, fmt.Errorf("%s missing", name))
		}
	}
	for _, w := range estate.Workloads {
		if v.Images[w] == "" {
			errs = append(errs, fmt.Errorf("image of %s missing", w))
		}
	}
	return errors.Join(errs...)
}

type obj = map[string]any

// Render returns every manifest, in apply order.
func Render(p estate.Profile, v Values) ([]map[string]any, error) {
	if err := v.Validate(); err != nil {
		return nil, fmt.Errorf("render manifests: %w", err)
	}
	out := []map[string]any{{
		"apiVersion": "v1", "kind": "Namespace",
		"metadata": obj{"name": Namespace, "labels": obj{
			// The workloads run as non-root with no capabilities, so the strictest profile fits.
			"pod-security.kubernetes.io/enforce": "restricted",
		}},
	}}
	out = append(out, secretProviderClass(v))
	for _, w := range estate.Workloads {
		out = append(out, serviceAccount(w))
		out = append(out, deployment(p, v, w))
		if w != "processor" {
			out = append(out, service(p, w))
		}
		out = append(out, hpa(p, w), pdb(p, w))
	}
	out = append(out, targetGroupBinding(p, v))
	return out, nil
}

// YAML joins manifests into one multi-document stream for kubectl apply -f -.
func YAML(objs []map[string]any) ([]byte, error) {
	var b bytes.Buffer
	for i, o := range objs {
		y, err := yaml.Marshal(o)
		if err != nil {
			return nil, err
		}
		if i > 0 {
			b.WriteString("---\n")
		}
		b.Write(y)
	}
	return b.Bytes(), nil
}

func labels(w string) obj {
	return obj{"app.kubernetes.io/name": w, "app.kubernetes.io/part-of": "crypto-oms"}
}

func meta(name string, w string) obj {
	return obj{"name": name, "namespace": Namespace, "labels": labels(w)}
}

func serviceAccount(w string) obj {
	// No IRSA annotation: EKS pod identity associates the role by namespace and name.
	return obj{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": meta(w, w)}
}

// secretProviderClass mounts the gateway's secrets with the gateway's own pod identity and mirrors the
// Redis token into a Kubernetes Secret for the environment variable.
func secretProviderClass(v Values) obj {
	objects := fmt.Sprintf("- objectName: %q\n  objectType: secretsmanager\n  objectAlias: redis-auth\n- objectName: %q\n  objectType: secretsmanager\n  objectAlias: api-keys.json\n",
		v.RedisAuthSecretArn, v.APIKeysSecretArn)
	return obj{
		"apiVersion": "secrets-store.csi.x-k8s.io/v1", "kind": "SecretProviderClass",
		"metadata": meta("gateway-secrets", "gateway"),
		"spec": obj{
			"provider":   "aws",
			"parameters": obj{"objects": objects, "usePodIdentity": "true", "region": v.Region},
			"secretObjects": []any{obj{
				"secretName": "gateway-secrets", "type": "Opaque",
				"data": []any{obj{"objectName": "redis-auth", "key": "redis-auth"}},
			}},
		},
	}
}

func deployment(p estate.Profile, v Values, w string) obj {
	wl := p.Workloads[w]
	env := []any{
		obj{"name": "OMS_KAFKA_BROKERS", "value": v.Brokers},
		// MSK accepts only TLS + SASL/AWS_MSK_IAM; the pod's credentials come from pod identity.
		obj{"name": "OMS_KAFKA_AUTH", "value": "aws-msk-iam"},
		obj{"name": "AWS_REGION", "value": v.Region},
	}
	var mounts, volumes []any
	// Processor and marketdata serve no API; their probes hit the debug server (/metrics), which answers
	// once the process is up. The gateway's /health also checks its dependencies.
	httpPort, probePath, probePort := wl.Port, "/metrics", "debug"
	env = append(env, obj{"name": "OMS_DEBUG_ADDR", "value": fmt.Sprintf(":%d", wl.DebugPort)})
	switch w {
	case "gateway":
		probePath, probePort = "/health", "http"
		env = append(env,
			obj{"name": "OMS_HTTP_ADDR", "value": fmt.Sprintf(":%d", httpPort)},
			obj{"name": "OMS_REDIS_ADDR", "value": fmt.Sprintf("%s:%d", v.RedisEndpoint, p.Redis.Port)},
			obj{"name": "OMS_REDIS_TLS", "value": "1"},
			obj{"name": "OMS_REDIS_PASSWORD", "valueFrom": obj{"secretKeyRef": obj{"name": "gateway-secrets", "key": "redis-auth"}}},
			obj{"name": "OMS_API_KEYS_FILE", "value": "/var/run/secrets/crypto-oms/api-keys.json"},
			// Keys created through the admin API: the gateway reads these secrets itself (pod identity).
			obj{"name": "OMS_DOCDB_SECRET_ARN", "value": v.DocdbSecretArn},
			obj{"name": "OMS_DOCDB_ENDPOINT", "value": fmt.Sprintf("%s:%d", v.DocdbEndpoint, p.DocumentDB.Port)},
			obj{"name": "OMS_DOCDB_CA_FILE", "value": DocdbCAFile},
			obj{"name": "OMS_KEY_ENCRYPTION_SECRET_ARN", "value": v.KEKSecretArn},
			// Browser sessions and WebSocket tokens: signed and verified with a key every pod derives
			// from one secret.
			obj{"name": "OMS_TOKEN_SECRET_ARN", "value": v.TokenSecretArn},
		)
		mounts = append(mounts,
			obj{"name": "secrets", "mountPath": "/var/run/secrets/crypto-oms", "readOnly": true},
			obj{"name": "docdb-ca", "mountPath": path.Dir(DocdbCAFile), "readOnly": true},
		)
		volumes = append(volumes,
			obj{"name": "secrets", "csi": obj{
				"driver": "secrets-store.csi.k8s.io", "readOnly": true, "volumeAttributes": obj{"secretProviderClass": "gateway-secrets"},
			}},
			// Not optional: without the bundle the gateway cannot reach the store, and a pod that
			// stays Pending says so earlier than one that crash-loops.
			obj{"name": "docdb-ca", "configMap": obj{
				"name": DocdbCAConfigMap, "items": []any{obj{"key": path.Base(DocdbCAFile), "path": path.Base(DocdbCAFile)}},
			}},
		)
	case "processor":
		env = append(env,
			obj{"name": "OMS_PROCESSOR_GROUP", "value": "processor"},
			// Stable per pod for its lifetime; transactions are also fenced by the consumer group
			// generation (KIP-447), so a replaced pod with a new name cannot double-write.
			obj{"name": "OMS_TRANSACTIONAL_ID", "valueFrom": obj{"fieldRef": obj{"fieldPath": "metadata.name"}}},
		)
	}
	ports := []any{obj{"name": "debug", "containerPort": wl.DebugPort, "protocol": "TCP"}}
	if w != "processor" {
		ports = append([]any{obj{"name": "http", "containerPort": httpPort, "protocol": "TCP"}}, ports...)
	}
	probe := func(initial, period, failures int) obj {
		return obj{
			"httpGet":             obj{"path": probePath, "port": probePort},
			"initialDelaySeconds": initial, "periodSeconds": period, "failureThreshold": failures, "timeoutSeconds": 2,
		}
	}
	container := obj{
		"name": w, "image": v.Images[w], "imagePullPolicy": "IfNotPresent",
		"env": env, "ports": ports,
		"resources": obj{
			"requests": obj{"cpu": fmt.Sprintf("%dm", wl.CPURequestMilli), "memory": fmt.Sprintf("%dMi", wl.MemoryRequestMiB)},
			"limits":   obj{"cpu": fmt.Sprintf("%dm", wl.CPULimitMilli), "memory": fmt.Sprintf("%dMi", wl.MemoryLimitMiB)},
		},
		"readinessProbe": probe(2, 5, 3),
		"livenessProbe":  probe(10, 10, 6),
		"securityContext": obj{
			"allowPrivilegeEscalation": false, "readOnlyRootFilesystem": true, "runAsNonRoot": true,
			"capabilities": obj{"drop": []any{"ALL"}},
		},
	}
	if len(mounts) > 0 {
		container["volumeMounts"] = mounts
	}
	sel := obj{"matchLabels": obj{"app.kubernetes.io/name": w}}
	spread := func(key, when string) obj {
		return obj{"maxSkew": 1, "topologyKey": key, "whenUnsatisfiable": when, "labelSelector": sel}
	}
	podSpec := obj{
		"serviceAccountName": w,
		"securityContext": obj{
			"runAsNonRoot": true, "runAsUser": 65532, "runAsGroup": 65532, "fsGroup": 65532,
			"seccompProfile": obj{"type": "RuntimeDefault"},
		},
		// Spread over zones strictly (an AZ loss takes at most a third), over nodes best-effort.
		"topologySpreadConstraints": []any{
			spread("topology.kubernetes.io/zone", "DoNotSchedule"),
			spread("kubernetes.io/hostname", "ScheduleAnyway"),
		},
		"terminationGracePeriodSeconds": 30,
		"nodeSelector":                  obj{"kubernetes.io/arch": p.EKS.NodeArch},
		"containers":                    []any{container},
	}
	if len(volumes) > 0 {
		podSpec["volumes"] = volumes
	}
	return obj{
		"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta(w, w),
		"spec": obj{
			"replicas": wl.Replicas, "selector": sel, "revisionHistoryLimit": 5,
			// Surge first: capacity never drops below the replica count during a rollout.
			"strategy": obj{"type": "RollingUpdate", "rollingUpdate": obj{"maxUnavailable": 0, "maxSurge": 1}},
			"template": obj{"metadata": obj{"labels": labels(w)}, "spec": podSpec},
		},
	}
}

func service(p estate.Profile, w string) obj {
	return obj{
		"apiVersion": "v1", "kind": "Service", "metadata": meta(w, w),
		"spec": obj{
			"type": "ClusterIP", "selector": obj{"app.kubernetes.io/name": w},
			"ports": []any{obj{"name": "http", "port": p.Workloads[w].Port, "targetPort": "http", "protocol": "TCP"}},
		},
	}
}

func hpa(p estate.Profile, w string) obj {
	wl := p.Workloads[w]
	return obj{
		"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": meta(w, w),
		"spec": obj{
			"scaleTargetRef": obj{"apiVersion": "apps/v1", "kind": "Deployment", "name": w},
			"minReplicas":    wl.MinReplicas, "maxReplicas": wl.MaxReplicas,
			"metrics": []any{obj{"type": "Resource", "resource": obj{
				"name": "cpu", "target": obj{"type": "Utilization", "averageUtilization": wl.TargetCPUPercent},
			}}},
			// Scale down slowly: a processor rebalance costs a replay of its partitions' state.
			"behavior": obj{"scaleDown": obj{"stabilizationWindowSeconds": 300}},
		},
	}
}

func pdb(p estate.Profile, w string) obj {
	return obj{
		"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": meta(w, w),
		"spec": obj{"minAvailable": p.Workloads[w].MinAvailable, "selector": obj{"matchLabels": obj{"app.kubernetes.io/name": w}}},
	}
}

// targetGroupBinding lets the AWS Load Balancer Controller register gateway pod IPs in the target group
// the Edge stack created, so the ALB and its rules stay in CloudFormation.
func targetGroupBinding(p estate.Profile, v Values) obj {
	return obj{
		"apiVersion": "elbv2.k8s.aws/v1beta1", "kind": "TargetGroupBinding", "metadata": meta("gateway", "gateway"),
		"spec": obj{
			"serviceRef":     obj{"name": "gateway", "port": p.Workloads["gateway"].Port},
			"targetGroupARN": v.GatewayTargetGroupArn,
			"targetType":     "ip",
		},
	}
}

// ValuesFromOutputs reads `cdk deploy --outputs-file` JSON (stack -> output key -> value) for the
// stacks of one profile, with the image tag to deploy.
func ValuesFromOutputs(outputs map[string]map[string]string, profile, region, tag string) (Values, error) {
	get := func(stack, key string) string { return outputs["CryptoOms-"+profile+"-"+stack][key] }
	v := Values{
		Region:                region,
		Brokers:               get("Data", "MskBootstrapBrokersIam"),
		RedisEndpoint:         get("Data", "RedisEndpoint"),
		RedisAuthSecretArn:    get("Data", "RedisAuthSecretArn"),
		APIKeysSecretArn:      get("Compute", "ApiKeysSecretArn"),
		GatewayTargetGroupArn: get("Edge", "GatewayTargetGroupArn"),
		DocdbEndpoint:         get("Data", "DocdbEndpoint"),
		DocdbSecretArn:        get("Data", "DocdbSecretArn"),
		KEKSecretArn:          get("Data", "KeyEncryptionSecretArn"),
		TokenSecretArn:        get("Data", "TokenSecretArn"),
		Images:                map[string]string{},
	}
	for _, w := range estate.Workloads {
		if repo := get("Compute", "Repo"+strings.ToUpper(w[:1])+w[1:]); repo != "" {
			v.Images[w] = repo + ":" + tag
		}
	}
	return v, v.Validate()
}
