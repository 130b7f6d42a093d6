// Package kafkaauth builds the franz-go client options for how a service authenticates to Kafka:
// plaintext locally, TLS, or TLS with SASL AWS_MSK_IAM on MSK. The hot-path binaries (through
// kafkabus) and the Lambda mains share it, so every client of the cluster authenticates the same way.
package kafkaauth

import (
	"context"
	"crypto/tls"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl/aws"
)

// Modes, as OMS_KAFKA_AUTH names them.
const (
	None   = "none"        // plaintext (local kfake)
	TLS    = "tls"         // TLS, no SASL
	MSKIAM = "aws-msk-iam" // TLS + SASL AWS_MSK_IAM with the workload's AWS credentials (pod identity, Lambda role)
)

// Options returns the client options for a mode ("" is None). For MSK IAM the credentials come from
// the AWS SDK's default chain and are retrieved again for every new broker connection, so rotated
// role credentials are picked up.
func Options(ctx context.Context, mode string) ([]kgo.Opt, error) {
	tlsOpt := kgo.DialTLSConfig(&tls.Config{MinVersion: tls.VersionTLS12})
	switch mode {
	case "", None:
		return nil, nil
	case TLS:
		return []kgo.Opt{tlsOpt}, nil
	case MSKIAM:
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
	return nil, fmt.Errorf("kafka auth: unknown mode %q (want %s, %s or %s)", mode, None, TLS, MSKIAM)
}
