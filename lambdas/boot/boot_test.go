package boot_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/crypto-oms/crypto-oms/lambdas/boot"
)

// secretsServer speaks Secrets Manager's JSON 1.1 protocol for GetSecretValue, so the real SDK client
// and its error handling are exercised.
func secretsServer(t *testing.T, secrets map[string]string) *secretsmanager.Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Amz-Target") != "secretsmanager.GetSecretValue" || !strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256") {
			http.Error(w, "unexpected request", http.StatusBadRequest)
			return
		}
		var in struct{ SecretId string }
		b, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(b, &in); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		s, ok := secrets[in.SecretId]
		if !ok {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"__type":"ResourceNotFoundException","Message":"Secrets Manager can't find the specified secret."}`))
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"ARN": in.SecretId, "Name": "x", "SecretString": s, "VersionId": "v1"})
	}))
	t.Cleanup(srv.Close)
	return secretsmanager.New(secretsmanager.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
	})
}

func env(m map[string]string) boot.Env { return func(k string) string { return m[k] } }

func TestMongoURI(t *testing.T) {
	dir := t.TempDir()
	ca := filepath.Join(dir, boot.DefaultCAFile)
	if err := os.WriteFile(ca, []byte("-----BEGIN CERTIFICATE-----\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	sm := secretsServer(t, map[string]string{
		"arn:docdb": `{"username":"omsadmin","password":"p@ss/word:1","host":"ignored","port":27017}`,
		"arn:bad":   `{"user":"x"}`,
	})
	t.Run("explicit URI wins", func(t *testing.T) {
		r := &boot.Resolver{Env: env(map[string]string{"OMS_MONGO_URI": "mongodb://127.0.0.1:1/", "OMS_DOCDB_SECRET_ARN": "arn:docdb"}), Secrets: sm}
		u, err := r.MongoURI(context.Background())
		if err != nil || u != "mongodb://127.0.0.1:1/" {
			t.Fatalf("got %q, %v", u, err)
		}
	})
	t.Run("from the DocumentDB secret", func(t *testing.T) {
		r := &boot.Resolver{Env: env(map[string]string{"OMS_DOCDB_SECRET_ARN": "arn:docdb", "OMS_DOCDB_ENDPOINT": "oms.cluster-x.docdb.amazonaws.com:27017", "LAMBDA_TASK_ROOT": dir}), Secrets: sm}
		raw, err := r.MongoURI(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		pw, _ := u.User.Password()
		q := u.Query()
		if u.User.Username() != "omsadmin" || pw != "p@ss/word:1" || u.Host != "oms.cluster-x.docdb.amazonaws.com:27017" ||
			q.Get("tls") != "true" || q.Get("tlsCAFile") != ca || q.Get("retryWrites") != "false" || q.Get("replicaSet") != "rs0" {
			t.Fatalf("uri %s", raw)
		}
	})
	for name, e := range map[string]map[string]string{
		"nothing set":           {},
		"missing secret":        {"OMS_DOCDB_SECRET_ARN": "arn:nope", "OMS_DOCDB_ENDPOINT": "h:1", "OMS_DOCDB_CA_FILE": ca},
		"secret lacks password": {"OMS_DOCDB_SECRET_ARN": "arn:bad", "OMS_DOCDB_ENDPOINT": "h:1", "OMS_DOCDB_CA_FILE": ca},
		"no CA bundle":          {"OMS_DOCDB_SECRET_ARN": "arn:docdb", "OMS_DOCDB_ENDPOINT": "h:1", "OMS_DOCDB_CA_FILE": filepath.Join(dir, "none.pem")},
	} {
		t.Run(name, func(t *testing.T) {
			r := &boot.Resolver{Env: env(e), Secrets: sm}
			if u, err := r.MongoURI(context.Background()); err == nil {
				t.Fatalf("got %q, want an error", u)
			} else if strings.Contains(err.Error(), "p@ss") {
				t.Fatalf("error leaks the password: %v", err)
			}
		})
	}
}

func TestAPIKeys(t *testing.T) {
	keyJSON := `[{"id":"ops-1","secret":"0123456789abcdef0123","account":"ops","scopes":["admin","read"]}]`
	sm := secretsServer(t, map[string]string{"arn:keys": keyJSON, "arn:junk": `{"not":"a list"}`})
	file := filepath.Join(t.TempDir(), "keys.json")
	if err := os.WriteFile(file, []byte(keyJSON), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		env     map[string]string
		want    int
		wantErr bool
	}{
		{"none configured", map[string]string{}, 0, false},
		{"file", map[string]string{"OMS_API_KEYS_FILE": file}, 1, false},
		{"secret", map[string]string{"OMS_API_KEYS_SECRET_ARN": "arn:keys"}, 1, false},
		{"secret not found", map[string]string{"OMS_API_KEYS_SECRET_ARN": "arn:none"}, 0, true},
		{"secret not a key list", map[string]string{"OMS_API_KEYS_SECRET_ARN": "arn:junk"}, 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			keys, err := (&boot.Resolver{Env: env(tc.env), Secrets: sm}).APIKeys(context.Background())
			if (err != nil) != tc.wantErr || len(keys) != tc.want {
				t.Fatalf("keys=%v err=%v", keys, err)
			}
			if tc.want == 1 && (keys["ops-1"].Account != "ops" || string(keys["ops-1"].Secret) != "0123456789abcdef0123") {
				t.Fatalf("key %+v", keys["ops-1"])
			}
		})
	}
}

func TestKeyEncryptionKey(t *testing.T) {
	long := strings.Repeat("aB3", 22)
	sm := secretsServer(t, map[string]string{"arn:kek": long, "arn:short": "tooshort"})
	derive := func(e map[string]string) (string, error) {
		return (&boot.Resolver{Env: env(e), Secrets: sm}).KeyEncryptionKey(context.Background())
	}
	if k, err := derive(map[string]string{"OMS_KEY_ENCRYPTION_KEY": "given", "OMS_KEY_ENCRYPTION_SECRET_ARN": "arn:kek"}); err != nil || k != "given" {
		t.Fatalf("explicit key: %q %v", k, err)
	}
	a, err := derive(map[string]string{"OMS_KEY_ENCRYPTION_SECRET_ARN": "arn:kek"})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := derive(map[string]string{"OMS_KEY_ENCRYPTION_SECRET_ARN": "arn:kek"})
	raw, decErr := base64.StdEncoding.DecodeString(a)
	if a != b || decErr != nil || len(raw) != 32 || strings.Contains(a, long) {
		t.Fatalf("derived key %q (again %q): not a stable 32-byte key", a, b)
	}
	for _, e := range []map[string]string{{}, {"OMS_KEY_ENCRYPTION_SECRET_ARN": "arn:short"}, {"OMS_KEY_ENCRYPTION_SECRET_ARN": "arn:none"}} {
		if k, err := derive(e); err == nil {
			t.Errorf("%v: got key %q, want an error", e, k)
		}
	}
}

func TestTokenSecret(t *testing.T) {
	long := strings.Repeat("xY7", 22)
	sm := secretsServer(t, map[string]string{"arn:token": long, "arn:kek": long, "arn:short": "tooshort"})
	resolve := func(e map[string]string) ([]byte, error) {
		return (&boot.Resolver{Env: env(e), Secrets: sm}).TokenSecret(context.Background())
	}
	given := strings.Repeat("s", boot.MinTokenSecretLen)
	if k, err := resolve(map[string]string{"OMS_TOKEN_SECRET": given, "OMS_TOKEN_SECRET_ARN": "arn:token"}); err != nil || string(k) != given {
		t.Fatalf("explicit secret: %q %v", k, err)
	}
	a, err := resolve(map[string]string{"OMS_TOKEN_SECRET_ARN": "arn:token"})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := resolve(map[string]string{"OMS_TOKEN_SECRET_ARN": "arn:token"})
	if string(a) != string(b) || len(a) != 32 || strings.Contains(string(a), long) {
		t.Fatalf("derived key %x (again %x): not a stable 32-byte key", a, b)
	}
	// The same random string behind both ARNs must still give different keys: each purpose has its label.
	kek, err := (&boot.Resolver{Env: env(map[string]string{"OMS_KEY_ENCRYPTION_SECRET_ARN": "arn:kek"}), Secrets: sm}).KeyEncryptionKey(context.Background())
	if err != nil || kek == base64.StdEncoding.EncodeToString(a) {
		t.Fatalf("token key equals the key-encryption key derived from the same string (%v)", err)
	}
	for _, e := range []map[string]string{{}, {"OMS_TOKEN_SECRET": "short"}, {"OMS_TOKEN_SECRET_ARN": "arn:short"}, {"OMS_TOKEN_SECRET_ARN": "arn:none"}} {
		if k, err := resolve(e); err == nil {
			t.Errorf("%v: got key %x, want an error", e, k)
		}
	}
}
