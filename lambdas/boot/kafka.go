package boot

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/crypto-oms/crypto-oms/lambdas/kafkaauth"
)

// Producer produces records and waits for every in-sync replica to acknowledge each one: what a
// function's few writes to Kafka (dead letters) need. It satisfies projector.Publisher.
type Producer struct{ cl *kgo.Client }

// KafkaProducer returns a producer to OMS_KAFKA_BROKERS (comma-separated), authenticated as
// OMS_KAFKA_AUTH says (lambdas/kafkaauth: none, tls, aws-msk-iam; OMS_KAFKA_TLS=1 is read as tls),
// or nil when OMS_KAFKA_BROKERS is unset.
func (r *Resolver) KafkaProducer(ctx context.Context) (*Producer, error) {
	brokers := r.Env("OMS_KAFKA_BROKERS")
	if brokers == "" {
		return nil, nil
	}
	mode := r.Env("OMS_KAFKA_AUTH")
	if mode == "" && r.Env("OMS_KAFKA_TLS") == "1" {
		mode = kafkaauth.TLS
	}
	auth, err := kafkaauth.Options(ctx, mode)
	if err != nil {
		return nil, fmt.Errorf("kafka producer: %w", err)
	}
	const deliver = 10 * time.Second
	opts := append([]kgo.Opt{
		kgo.SeedBrokers(strings.Split(brokers, ",")...),
		kgo.RequiredAcks(kgo.AllISRAcks()),
		kgo.ProducerLinger(0),
		kgo.RecordDeliveryTimeout(deliver),
		kgo.ProduceRequestTimeout(deliver),
		kgo.RetryTimeout(deliver),
	}, auth...)
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		return nil, fmt.Errorf("kafka producer: %w", err)
	}
	return &Producer{cl: cl}, nil
}

// Publish produces one record and returns once the brokers acknowledged it, or with an error when
// ctx ends first (franz-go keeps a buffered record until its delivery timeout whatever the context,
// and a function must not outwait its own deadline; the record may then still arrive).
func (p *Producer) Publish(ctx context.Context, topic string, key, value []byte) error {
	done := make(chan error, 1)
	p.cl.Produce(ctx, &kgo.Record{Topic: topic, Key: key, Value: value}, func(_ *kgo.Record, err error) { done <- err })
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("publish to %s: %w", topic, err)
		}
		return nil
	case <-ctx.Done():
		return fmt.Errorf("publish to %s: %w", topic, ctx.Err())
	}
}

// Close closes the client; every publish already waited for its acknowledgement.
func (p *Producer) Close() { p.cl.Close() }
