// Package kafkabus is the Kafka adapter (franz-go): the gateway's acknowledged producer, topic creation,
// committed reads of one partition (state rebuild) and tailing consumers (prices, control).
package kafkabus

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
)

// ErrUnavailable says the broker did not acknowledge in time or cannot be reached: the caller must
// treat the write as not done (503), never as done.
var ErrUnavailable = errors.New("kafka unavailable")

// Producer produces with acks=all and idempotence, and returns only after the broker acknowledged.
type Producer struct {
	cl      *kgo.Client
	timeout time.Duration
}

// NewProducer connects a producer. timeout bounds each publish (a 503 beats a hung request).
func NewProducer(seeds []string, timeout time.Duration, opts ...kgo.Opt) (*Producer, error) {
	base := []kgo.Opt{
		kgo.SeedBrokers(seeds...),
		kgo.RequiredAcks(kgo.AllISRAcks()),
		kgo.ProducerLinger(0),
		kgo.RecordDeliveryTimeout(timeout),
		kgo.ProduceRequestTimeout(timeout),
		kgo.RecordRetries(5),
		kgo.RetryTimeout(timeout),
		kgo.MaxBufferedRecords(100_000),
	}
	cl, err := kgo.NewClient(append(base, opts...)...)
	if err != nil {
		return nil, fmt.Errorf("new producer: %w", err)
	}
	return &Producer{cl: cl, timeout: timeout}, nil
}

// Client exposes the underlying client for adapters in this package's callers' tests.
func (p *Producer) Client() *kgo.Client { return p.cl }

// PublishCommand produces an order command keyed by account and waits for the acknowledgement.
func (p *Producer) PublishCommand(ctx context.Context, c events.OrderCommand) error {
	return p.Publish(ctx, events.TopicOrders, []byte(c.Account), events.AppendCommand(nil, c))
}

// PublishCommands produces several commands and waits for all acknowledgements; the result per
// command is in the returned slice (nil for acknowledged).
func (p *Producer) PublishCommands(ctx context.Context, cs []events.OrderCommand) []error {
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	recs := make([]*kgo.Record, len(cs))
	for i, c := range cs {
		recs[i] = &kgo.Record{Topic: events.TopicOrders, Key: []byte(c.Account), Value: events.AppendCommand(nil, c)}
	}
	errs := make([]error, len(cs))
	done := make(chan struct{}, len(cs))
	for i, r := range recs {
		p.cl.Produce(ctx, r, func(_ *kgo.Record, err error) {
			if err != nil {
				errs[i] = fmt.Errorf("publish %s: %w: %v", r.Topic, ErrUnavailable, err)
			}
			done <- struct{}{}
		})
	}
	for range recs {
		select {
		case <-done:
		case <-ctx.Done():
			// Unacknowledged: report every command still without an answer as not published. The
			// promises write into errs later, so hand back a copy.
			out := make([]error, len(cs))
			for i := range out {
				out[i] = fmt.Errorf("publish %s: %w: no acknowledgement within %s", events.TopicOrders, ErrUnavailable, p.timeout)
			}
			return out
		}
	}
	return errs
}

// Publish produces one record and waits for the acknowledgement, at most the producer's timeout. On a
// timeout the record may still be delivered later; callers that retry must therefore be idempotent
// (order ids derive from client order ids, and the processor drops a repeated one).
func (p *Producer) Publish(ctx context.Context, topic string, key, value []byte) error {
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	done := make(chan error, 1)
	p.cl.Produce(ctx, &kgo.Record{Topic: topic, Key: key, Value: value}, func(_ *kgo.Record, err error) { done <- err })
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("publish %s: %w: %v", topic, ErrUnavailable, err)
		}
		return nil
	case <-ctx.Done():
		return fmt.Errorf("publish %s: %w: no acknowledgement within %s", topic, ErrUnavailable, p.timeout)
	}
}

// Ping checks that a broker answers.
func (p *Producer) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := p.cl.Ping(ctx); err != nil {
		return fmt.Errorf("kafka ping: %w: %v", ErrUnavailable, err)
	}
	return nil
}

// Close flushes and closes.
func (p *Producer) Close() { p.cl.Close() }

// EnsureTopics creates missing topics with the given partition counts (replication 1 on a single local
// broker, the cluster default otherwise) and fails if an existing topic has a different count where the
// processor depends on it.
func EnsureTopics(ctx context.Context, seeds []string, topics map[string]int32, replication int16, opts ...kgo.Opt) error {
	cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(seeds...)}, opts...)...)
	if err != nil {
		return fmt.Errorf("ensure topics: %w", err)
	}
	defer cl.Close()
	adm := kadm.NewClient(cl)
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	for name, parts := range topics {
		resp, err := adm.CreateTopic(ctx, parts, replication, nil, name)
		if err != nil && !errors.Is(err, kerr.TopicAlreadyExists) && !errors.Is(resp.Err, kerr.TopicAlreadyExists) {
			return fmt.Errorf("ensure topic %s: %w: %v", name, ErrUnavailable, err)
		}
	}
	details, err := adm.ListTopics(ctx)
	if err != nil {
		return fmt.Errorf("ensure topics: list: %w: %v", ErrUnavailable, err)
	}
	for name, parts := range topics {
		d, ok := details[name]
		if !ok {
			return fmt.Errorf("ensure topics: %s missing after create", name)
		}
		if int32(len(d.Partitions)) != parts {
			return fmt.Errorf("ensure topics: %s has %d partitions, config says %d", name, len(d.Partitions), parts)
		}
	}
	return nil
}

// ReadPartition reads every committed record of one partition from the start up to the last stable
// offset at call time, in order, calling fn for each data record. It is how the processor rebuilds an
// account's state from its own reports.
func ReadPartition(ctx context.Context, seeds []string, topic string, partition int32, fn func(*kgo.Record) error, opts ...kgo.Opt) error {
	return readPartition(ctx, seeds, topic, partition, false, fn, opts...)
}

// ErrTruncated is returned by ReadWholePartition when retention has deleted the start of the log.
var ErrTruncated = errors.New("the log no longer starts at offset 0")

// ReadWholePartition is ReadPartition for a fold that needs every record since the first: it fails with
// ErrTruncated, before reading anything, when the partition's log start offset is above 0.
func ReadWholePartition(ctx context.Context, seeds []string, topic string, partition int32, fn func(*kgo.Record) error, opts ...kgo.Opt) error {
	return readPartition(ctx, seeds, topic, partition, true, fn, opts...)
}

func readPartition(ctx context.Context, seeds []string, topic string, partition int32, whole bool, fn func(*kgo.Record) error, opts ...kgo.Opt) error {
	cl, err := kgo.NewClient(append([]kgo.Opt{
		kgo.SeedBrokers(seeds...),
		kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{topic: {partition: kgo.NewOffset().AtStart()}}),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		kgo.KeepControlRecords(),
	}, opts...)...)
	if err != nil {
		return fmt.Errorf("read %s/%d: %w", topic, partition, err)
	}
	defer cl.Close()
	adm := kadm.NewClient(cl)
	if whole {
		starts, err := adm.ListStartOffsets(ctx, topic)
		if err != nil {
			return fmt.Errorf("read %s/%d: start offsets: %w: %v", topic, partition, ErrUnavailable, err)
		}
		start, ok := starts.Lookup(topic, partition)
		if !ok || start.Err != nil {
			return fmt.Errorf("read %s/%d: no start offset", topic, partition)
		}
		if start.Offset > 0 {
			return fmt.Errorf("read %s/%d: %w: it starts at %d (records before it were deleted by retention)", topic, partition, ErrTruncated, start.Offset)
		}
	}
	ends, err := adm.ListCommittedOffsets(ctx, topic)
	if err != nil {
		return fmt.Errorf("read %s/%d: end offsets: %w: %v", topic, partition, ErrUnavailable, err)
	}
	end, ok := ends.Lookup(topic, partition)
	if !ok || end.Err != nil {
		return fmt.Errorf("read %s/%d: no end offset", topic, partition)
	}
	for next := int64(0); next < end.Offset; {
		fs := cl.PollFetches(ctx)
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("read %s/%d: %w", topic, partition, err)
		}
		var ferr error
		fs.EachError(func(_ string, _ int32, err error) { ferr = err })
		if ferr != nil {
			return fmt.Errorf("read %s/%d: %w: %v", topic, partition, ErrUnavailable, ferr)
		}
		var cbErr error
		fs.EachRecord(func(r *kgo.Record) {
			if cbErr != nil || r.Offset >= end.Offset {
				return
			}
			next = r.Offset + 1
			if r.Attrs.IsControl() {
				return
			}
			cbErr = fn(r)
		})
		if cbErr != nil {
			return fmt.Errorf("read %s/%d: %w", topic, partition, cbErr)
		}
	}
	return nil
}

// Tail consumes a topic (all partitions, no group) from the start or from near the end, calling fn for
// each committed record until ctx ends. It is for state every instance needs whole: prices, control.
func Tail(ctx context.Context, seeds []string, topic string, fromStart bool, fn func(*kgo.Record), opts ...kgo.Opt) error {
	start := kgo.NewOffset().AtEnd().Relative(-64)
	if fromStart {
		start = kgo.NewOffset().AtStart()
	}
	cl, err := kgo.NewClient(append([]kgo.Opt{
		kgo.SeedBrokers(seeds...),
		kgo.ConsumeTopics(topic),
		kgo.ConsumeResetOffset(start),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		kgo.FetchMaxWait(50 * time.Millisecond),
	}, opts...)...)
	if err != nil {
		return fmt.Errorf("tail %s: %w", topic, err)
	}
	defer cl.Close()
	for {
		fs := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			return nil
		}
		fs.EachRecord(fn)
	}
}

// TruncatedPartitions returns the partitions of topic whose log no longer starts at offset 0, with the
// offset each starts at now.
func TruncatedPartitions(ctx context.Context, seeds []string, topic string, opts ...kgo.Opt) (map[int32]int64, error) {
	cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(seeds...)}, opts...)...)
	if err != nil {
		return nil, fmt.Errorf("start offsets of %s: %w", topic, err)
	}
	defer cl.Close()
	starts, err := kadm.NewClient(cl).ListStartOffsets(ctx, topic)
	if err != nil {
		return nil, fmt.Errorf("start offsets of %s: %w: %v", topic, ErrUnavailable, err)
	}
	out := map[int32]int64{}
	starts.Each(func(o kadm.ListedOffset) {
		if o.Err == nil && o.Offset > 0 {
			out[o.Partition] = o.Offset
		}
	})
	return out, nil
}
