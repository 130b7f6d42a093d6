package kafkabus

import (
	"context"
	"crypto/tls"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl/aws"
)

// Auth modes for OMS_KAFKA_AUTH.
const (
	AuthNone   = "none"        // plaintext (local kfake)
	AuthTLS    = "tls"         // TLS, no SASL
	AuthMSKIAM = "aws-msk-iam" // TLS + SASL AWS_MSK_IAM with the pod's AWS credentials (EKS pod identity)
)

// AuthOptions returns the client options for an auth mode. For MSK IAM the credentials come from the
// AWS SDK's default chain and are refreshed on every new broker connection.
func AuthOptions(ctx context.Context, mode string) ([]kgo.Opt, error) {
	tlsOpt := kgo.DialTLSConfig(&tls.Config{MinVersion: tls.VersionTLS12})
	switch mode {
	case "", AuthNone:
		return nil, nil
	case AuthTLS:
		return []kgo.Opt{tlsOpt}, nil
	case AuthMSKIAM:
		cfg, err := config.LoadDefaultConfig(ctx)
		if err != nil {
			return nil, fmt.Errorf("kafka auth: aws config: %w", err)
		}
		mech := aws.ManagedStreamingIAM(func(ctx context.Context) (aws.Auth, error) {
			c, err := cfg.Credentials.Retrieve(ctx)
			if err != nil {
				return aws.Auth{}, fmt.Errorf("kafka auth: aws credentials: %w", err)
			}
			return aws.Auth{AccessKey: c.AccessKeyID, SecretKey: c.SecretAccessKey, SessionToken: c.SessionToken}, nil
		})
		return []kgo.Opt{tlsOpt, kgo.SASL(mech)}, nil
	}
	return nil, fmt.Errorf("kafka auth: unknown mode %q (want %s, %s or %s)", mode, AuthNone, AuthTLS, AuthMSKIAM)
}
