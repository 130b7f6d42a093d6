package kafkabus

import (
	"context"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/crypto-oms/crypto-oms/lambdas/kafkaauth"
)

// Auth modes for OMS_KAFKA_AUTH (see lambdas/kafkaauth, which the Lambda mains share).
const (
	AuthNone   = kafkaauth.None
	AuthTLS    = kafkaauth.TLS
	AuthMSKIAM = kafkaauth.MSKIAM
)

// AuthOptions returns the client options for an auth mode (kafkaauth.Options).
func AuthOptions(ctx context.Context, mode string) ([]kgo.Opt, error) {
	return kafkaauth.Options(ctx, mode)
}
