// Package controlbus produces operator commands to the `control` topic with franz-go: acks from every
// in-sync replica, idempotent, and a publish returns only once the broker acknowledged, so the admin API
// answers 202 only for a command the processors will read.
package controlbus

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
)

// ErrUnavailable says the broker did not acknowledge in time or cannot be reached: the command must be
// treated as not published.
var ErrUnavailable = errors.New("kafka unavailable")

// Producer publishes control commands.
type Producer struct {
	cl      *kgo.Client
	topic   string
	timeout time.Duration
}

// New returns a producer for brokers; opts carry TLS/SASL (lambdas/kafkaauth). timeout bounds each
// publish (3 s when 0): an operator gets a clear 503 rather than a hung request.
func New(brokers []string, timeout time.Duration, opts ...kgo.Opt) (*Producer, error) {
	if timeout == 0 {
		timeout = 3 * time.Second
	}
	// franz-go refuses delivery timeouts under a second; the publish context enforces shorter ones.
	deliver := max(timeout, time.Second)
	base := []kgo.Opt{
		kgo.SeedBrokers(brokers...),
		kgo.RequiredAcks(kgo.AllISRAcks()),
		kgo.ProducerLinger(0),
		kgo.RecordDeliveryTimeout(deliver),
		kgo.ProduceRequestTimeout(deliver),
		kgo.RetryTimeout(deliver),
	}
	cl, err := kgo.NewClient(append(base, opts...)...)
	if err != nil {
		return nil, fmt.Errorf("control producer: %w", err)
	}
	return &Producer{cl: cl, topic: events.TopicControl, timeout: timeout}, nil
}

// PublishControl produces c keyed by what it sets (events.Control.Key) and waits for the
// acknowledgement. Any error wraps ErrUnavailable.
func (p *Producer) PublishControl(ctx context.Context, c events.Control) error {
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	rec := &kgo.Record{Topic: p.topic, Key: []byte(c.Key()), Value: events.AppendControl(nil, c)}
	if err := p.cl.ProduceSync(ctx, rec).FirstErr(); err != nil {
		return fmt.Errorf("publish control %s: %w: %v", c.ID, ErrUnavailable, err)
	}
	return nil
}

// Close flushes nothing (every publish already waited) and closes the client.
func (p *Producer) Close() { p.cl.Close() }
