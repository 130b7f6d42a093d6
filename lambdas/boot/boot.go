// Package boot resolves what a Lambda main needs before it serves its first event: the store's URI
// and the bootstrap API keys, either given directly (local runs, tests) or, in AWS, read from Secrets
// Manager (the estate hands functions secret ARNs, never secrets). Mains pass their environment in, so
// configuration is still read only in cmd/ packages.
package boot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/auth"
)

// Env looks up one environment variable (os.Getenv in mains).
type Env func(string) string

// SecretGetter is the part of the Secrets Manager client boot uses.
type SecretGetter interface {
	GetSecretValue(ctx context.Context, in *secretsmanager.GetSecretValueInput, opts ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error)
}

// Resolver resolves configuration from the environment, reading secrets through Secrets when needed.
type Resolver struct {
	Env Env
	// Secrets is created from the default AWS configuration on first use when nil.
	Secrets SecretGetter
}

// DefaultCAFile is where the DocumentDB CA bundle sits in a function's asset (LAMBDA_TASK_ROOT is
// /var/task); `make lambdas` copies it there when the operator has downloaded it (docs/deploy.md).
const DefaultCAFile = "rds-ca.pem"

// MongoURI returns OMS_MONGO_URI when set; otherwise it builds a DocumentDB URI from the master secret
// (OMS_DOCDB_SECRET_ARN: {"username","password",...}), OMS_DOCDB_ENDPOINT (host:port) and the CA
// bundle (OMS_DOCDB_CA_FILE, default $LAMBDA_TASK_ROOT/rds-ca.pem): TLS on, retryWrites off, as
// DocumentDB requires.
func (r *Resolver) MongoURI(ctx context.Context) (string, error) {
	if u := r.Env("OMS_MONGO_URI"); u != "" {
		return u, nil
	}
	arn, endpoint := r.Env("OMS_DOCDB_SECRET_ARN"), r.Env("OMS_DOCDB_ENDPOINT")
	if arn == "" || endpoint == "" {
		return "", errors.New("store: set OMS_MONGO_URI, or OMS_DOCDB_SECRET_ARN and OMS_DOCDB_ENDPOINT")
	}
	ca := r.Env("OMS_DOCDB_CA_FILE")
	if ca == "" {
		ca = filepath.Join(r.Env("LAMBDA_TASK_ROOT"), DefaultCAFile)
	}
	if _, err := os.Stat(ca); err != nil {
		return "", fmt.Errorf("store: DocumentDB CA bundle: %w (see docs/deploy.md, step 'CA bundle')", err)
	}
	raw, err := r.secret(ctx, arn)
	if err != nil {
		return "", fmt.Errorf("store: %w", err)
	}
	var s struct{ Username, Password string }
	if err := json.Unmarshal([]byte(raw), &s); err != nil || s.Username == "" || s.Password == "" {
		return "", errors.New("store: the DocumentDB secret has no username and password")
	}
	q := url.Values{}
	q.Set("tls", "true")
	q.Set("tlsCAFile", ca)
	q.Set("replicaSet", "rs0")
	q.Set("readPreference", "secondaryPreferred")
	q.Set("retryWrites", "false")
	u := url.URL{Scheme: "mongodb", User: url.UserPassword(s.Username, s.Password), Host: endpoint, Path: "/", RawQuery: q.Encode()}
	return u.String(), nil
}

// APIKeys returns the bootstrap API keys from OMS_API_KEYS_FILE or, in AWS, from the secret
// OMS_API_KEYS_SECRET_ARN (the same JSON as the file). Neither set: no bootstrap keys. Keys created
// through the admin API live in the store and do not come from here.
func (r *Resolver) APIKeys(ctx context.Context) (map[string]auth.Key, error) {
	var raw []byte
	switch path, arn := r.Env("OMS_API_KEYS_FILE"), r.Env("OMS_API_KEYS_SECRET_ARN"); {
	case path != "":
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("api keys: %w", err)
		}
		raw = b
	case arn != "":
		s, err := r.secret(ctx, arn)
		if err != nil {
			return nil, fmt.Errorf("api keys: %w", err)
		}
		raw = []byte(s)
	default:
		return map[string]auth.Key{}, nil
	}
	keys, err := auth.ParseKeyFile(raw)
	if err != nil {
		return nil, fmt.Errorf("api keys: %w", err)
	}
	return keys, nil
}

func (r *Resolver) secret(ctx context.Context, arn string) (string, error) {
	if r.Secrets == nil {
		cfg, err := config.LoadDefaultConfig(ctx)
		if err != nil {
			return "", fmt.Errorf("aws config: %w", err)
		}
		r.Secrets = secretsmanager.NewFromConfig(cfg)
	}
	out, err := r.Secrets.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(arn)})
	if err != nil {
		return "", fmt.Errorf("read secret %s: %w", arn, err)
	}
	if out.SecretString == nil {
		return "", fmt.Errorf("read secret %s: not a string secret", arn)
	}
	return *out.SecretString, nil
}
