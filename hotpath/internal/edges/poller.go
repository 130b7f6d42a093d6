package edges

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/crypto-oms/crypto-oms/hotpath/estate"
)

// KafkaHandler is a Lambda function fed by an MSK event source.
type KafkaHandler func(ctx context.Context, ev events.KafkaEvent) error

// PollerConfig configures a Poller.
type PollerConfig struct {
	Brokers  []string
	Function string // names the consumer group ("lambda-" + Function)
	Topic    string
	// BatchSize is the most records per invocation; Window the longest wait for a batch to fill after
	// its first record. Both come from the route table's consumers (see ConsumerConfig).
	BatchSize int
	Window    time.Duration
	// FromStart starts a group with no committed offsets at the oldest record (TRIM_HORIZON) instead
	// of the newest (LATEST).
	FromStart bool
	Timeout   time.Duration // per invocation; 60 s when 0
	Logger    *slog.Logger
}

// ConsumerConfig returns the poller configuration of the route table's consumer for function.
func ConsumerConfig(routes estate.Routes, function string, brokers []string) (PollerConfig, error) {
	for _, c := range routes.Consumers {
		if c.Function == function {
			return PollerConfig{
				Brokers: brokers, Function: function, Topic: c.Topic, BatchSize: c.BatchSize,
				Window:    time.Duration(c.MaxBatchingWindowSeconds) * time.Second,
				FromStart: c.StartingPosition == "TRIM_HORIZON",
			}, nil
		}
	}
	return PollerConfig{}, fmt.Errorf("consumer config: no consumer for function %q in the route table", function)
}

// Poller is a local MSK event source for one function.
type Poller struct {
	cfg PollerConfig
	h   KafkaHandler
	log *slog.Logger

	// Invocations and Failures count handler calls and the failed ones (each is retried).
	Invocations atomic.Int64
	Failures    atomic.Int64
}

// NewPoller returns a poller that feeds h.
func NewPoller(cfg PollerConfig, h KafkaHandler) (*Poller, error) {
	if len(cfg.Brokers) == 0 || cfg.Topic == "" || cfg.Function == "" || cfg.BatchSize < 1 {
		return nil, errors.New("new poller: brokers, topic, function and a positive batch size are required")
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 60 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Poller{cfg: cfg, h: h, log: cfg.Logger.With("function", cfg.Function, "topic", cfg.Topic)}, nil
}

// Run consumes until ctx ends. A batch whose invocation fails is retried, with backoff, until it
// succeeds: like the event source, the poller never skips records on its own (the function does that
// for poison records).
func (p *Poller) Run(ctx context.Context) error {
	start := kgo.NewOffset().AtEnd()
	if p.cfg.FromStart {
		start = kgo.NewOffset().AtStart()
	}
	cl, err := kgo.NewClient(
		kgo.SeedBrokers(p.cfg.Brokers...),
		kgo.ConsumerGroup("lambda-"+p.cfg.Function),
		kgo.ConsumeTopics(p.cfg.Topic),
		kgo.ConsumeResetOffset(start),
		kgo.DisableAutoCommit(),
		kgo.BlockRebalanceOnPoll(),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		kgo.FetchMaxWait(50*time.Millisecond),
	)
	if err != nil {
		return fmt.Errorf("poller %s: %w", p.cfg.Function, err)
	}
	defer cl.Close()
	// Leaving the group on Close waits for the rebalance that BlockRebalanceOnPoll holds back.
	defer cl.AllowRebalance()
	for {
		recs, err := p.collect(ctx, cl)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			p.log.Warn("poll", "err", err)
			if len(recs) == 0 {
				select {
				case <-ctx.Done():
					return nil
				case <-time.After(200 * time.Millisecond):
				}
			}
		}
		if len(recs) > 0 {
			if err := p.deliver(ctx, cl, recs); err != nil {
				if ctx.Err() != nil {
					return nil
				}
				return err
			}
		}
		cl.AllowRebalance()
	}
}

// collect gathers up to BatchSize records, waiting at most Window after the first one.
func (p *Poller) collect(ctx context.Context, cl *kgo.Client) ([]*kgo.Record, error) {
	var recs []*kgo.Record
	var deadline time.Time
	var errs []error
	for len(recs) < p.cfg.BatchSize {
		pctx, cancel := ctx, context.CancelFunc(func() {})
		if len(recs) > 0 {
			pctx, cancel = context.WithDeadline(ctx, deadline)
		}
		fs := cl.PollRecords(pctx, p.cfg.BatchSize-len(recs))
		cancel()
		if ctx.Err() != nil {
			return nil, nil
		}
		fs.EachError(func(t string, part int32, err error) {
			if !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled) {
				errs = append(errs, fmt.Errorf("%s[%d]: %w", t, part, err))
			}
		})
		n := len(recs)
		fs.EachRecord(func(r *kgo.Record) { recs = append(recs, r) })
		if n == 0 && len(recs) > 0 {
			deadline = time.Now().Add(p.cfg.Window)
		}
		if len(recs) == 0 && len(errs) > 0 {
			return nil, errors.Join(errs...)
		}
		if len(recs) > 0 && !time.Now().Before(deadline) {
			break
		}
	}
	return recs, errors.Join(errs...)
}

// deliver invokes the function with recs until it succeeds, then commits their offsets.
func (p *Poller) deliver(ctx context.Context, cl *kgo.Client, recs []*kgo.Record) error {
	ev := KafkaEvent(recs, p.cfg.Brokers)
	backoff := 100 * time.Millisecond
	for {
		p.Invocations.Add(1)
		ictx, cancel := context.WithTimeout(ctx, p.cfg.Timeout)
		err := p.h(ictx, ev)
		cancel()
		if err == nil {
			break
		}
		p.Failures.Add(1)
		p.log.Error("invocation failed; retrying the batch", "records", len(recs), "err", err, "backoff", backoff)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 5*time.Second)
	}
	if err := cl.CommitRecords(ctx, recs...); err != nil {
		// Redelivery after a failed commit is harmless: functions are idempotent.
		p.log.Warn("commit offsets", "err", err)
	}
	return nil
}

// KafkaEvent builds the event an MSK event source sends: records grouped by "topic-partition", keys
// and values base64-encoded, timestamps in milliseconds.
func KafkaEvent(recs []*kgo.Record, brokers []string) events.KafkaEvent {
	ev := events.KafkaEvent{
		EventSource:      "aws:kafka",
		EventSourceARN:   "arn:aws:kafka:local:000000000000:cluster/omsd/local",
		BootstrapServers: strings.Join(brokers, ","),
		Records:          map[string][]events.KafkaRecord{},
	}
	for _, r := range recs {
		k := r.Topic + "-" + strconv.Itoa(int(r.Partition))
		kr := events.KafkaRecord{
			Topic: r.Topic, Partition: int64(r.Partition), Offset: r.Offset,
			Timestamp:     events.MilliSecondsEpochTime{Time: r.Timestamp},
			TimestampType: "CREATE_TIME",
			Value:         base64.StdEncoding.EncodeToString(r.Value),
			Headers:       []map[string]events.JSONNumberBytes{},
		}
		if r.Key != nil {
			kr.Key = base64.StdEncoding.EncodeToString(r.Key)
		}
		for _, h := range r.Headers {
			kr.Headers = append(kr.Headers, map[string]events.JSONNumberBytes{h.Key: h.Value})
		}
		ev.Records[k] = append(ev.Records[k], kr)
	}
	return ev
}
