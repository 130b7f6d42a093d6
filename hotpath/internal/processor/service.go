// Package processor is the order processor: it consumes `orders` in a consumer group, runs each
// partition's commands through an Engine (account actors, pre-trade risk, venue), and produces the
// resulting execution reports to `executions` in the same Kafka transaction that commits the consumed
// offsets. After a restart or rebalance it rebuilds each partition's accounts from that partition's
// committed reports before consuming again.
package processor

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/kafkabus"
)

// Config configures a processor instance.
type Config struct {
	Brokers         []string
	Group           string // consumer group id
	TransactionalID string // unique per instance; a restarted instance reuses it to fence its zombie
	Engine          EngineConfig
	MaxBatch        int           // records per transaction
	PollWait        time.Duration // how long a poll waits before market/timer work runs
	TimerInterval   time.Duration // GTD expiry sweep
	SessionTimeout  time.Duration // group session: how long a dead instance holds its partitions
	Logger          *slog.Logger
	// KafkaOpts are extra client options (TLS, SASL) for every client the processor opens.
	KafkaOpts []kgo.Opt
	// Changed reports symbols whose book changed since the last call (market-driven fills).
	Changed func() []instrument.Symbol
}

// Stats are counters for metrics and tests.
type Stats struct {
	Commands, Reports, Transactions, Aborts, Rebuilds, Poison atomic.Int64
}

// Service is a running processor.
type Service struct {
	cfg   Config
	log   *slog.Logger
	Stats Stats

	mu      sync.Mutex // guards engines: the poll loop and the group's assignment callbacks
	engines map[int32]*Engine
}

// New validates cfg and returns a service; Run starts it.
func New(cfg Config) (*Service, error) {
	if len(cfg.Brokers) == 0 || cfg.Group == "" || cfg.TransactionalID == "" {
		return nil, errors.New("new processor: brokers, group and transactional id are required")
	}
	if cfg.MaxBatch <= 0 {
		cfg.MaxBatch = 2000
	}
	if cfg.PollWait <= 0 {
		cfg.PollWait = 20 * time.Millisecond
	}
	if cfg.TimerInterval <= 0 {
		cfg.TimerInterval = 250 * time.Millisecond
	}
	if cfg.SessionTimeout <= 0 {
		cfg.SessionTimeout = 10 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Changed == nil {
		cfg.Changed = func() []instrument.Symbol { return nil }
	}
	return &Service{cfg: cfg, log: cfg.Logger, engines: map[int32]*Engine{}}, nil
}

// rebuild replaces the engines of the given partitions with ones rebuilt from `executions`.
func (s *Service) rebuild(ctx context.Context, parts []int32) error {
	for _, p := range parts {
		eng := NewEngine(s.cfg.Engine)
		n := 0
		// The whole partition or nothing: state folded from a log that retention has cut would be wrong
		// balances and wrong risk, with nothing to say so (ADR 0002).
		err := kafkabus.ReadWholePartition(ctx, s.cfg.Brokers, events.TopicExecutions, p, func(r *kgo.Record) error {
			rep, err := events.DecodeReport(r.Value)
			if err != nil {
				s.Stats.Poison.Add(1)
				s.log.Error("undecodable report in executions; skipped in rebuild", "partition", p, "offset", r.Offset, "err", err)
				return nil
			}
			if err := eng.Replay(rep); err != nil {
				return fmt.Errorf("replay offset %d: %w", r.Offset, err)
			}
			n++
			return nil
		}, s.cfg.KafkaOpts...)
		if err != nil {
			return fmt.Errorf("rebuild partition %d: %w", p, err)
		}
		s.mu.Lock()
		s.engines[p] = eng
		s.mu.Unlock()
		s.Stats.Rebuilds.Add(1)
		s.log.Info("partition rebuilt", "partition", p, "reports", n, "accounts", len(eng.Accounts()))
	}
	return nil
}

func (s *Service) drop(parts []int32) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range parts {
		delete(s.engines, p)
	}
}

// Run consumes until ctx ends. It returns nil on a clean shutdown.
func (s *Service) Run(ctx context.Context) error {
	var assignErr atomic.Pointer[error]
	sess, err := kgo.NewGroupTransactSession(append([]kgo.Opt{
		kgo.SeedBrokers(s.cfg.Brokers...),
		kgo.ConsumerGroup(s.cfg.Group),
		kgo.ConsumeTopics(events.TopicOrders),
		kgo.TransactionalID(s.cfg.TransactionalID),
		// Static membership: a restarted instance (same id) takes its partitions back at once instead of
		// waiting for its dead predecessor's session to time out.
		kgo.InstanceID(s.cfg.TransactionalID),
		kgo.SessionTimeout(s.cfg.SessionTimeout),
		kgo.HeartbeatInterval(s.cfg.SessionTimeout / 6),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		kgo.RecordPartitioner(kgo.ManualPartitioner()),
		kgo.FetchMaxWait(s.cfg.PollWait),
		kgo.ProducerLinger(0),
		kgo.OnPartitionsAssigned(func(ctx context.Context, _ *kgo.Client, assigned map[string][]int32) {
			if err := s.rebuild(ctx, assigned[events.TopicOrders]); err != nil {
				assignErr.Store(&err)
			}
		}),
		kgo.OnPartitionsRevoked(func(_ context.Context, _ *kgo.Client, revoked map[string][]int32) {
			s.drop(revoked[events.TopicOrders])
		}),
		kgo.OnPartitionsLost(func(_ context.Context, _ *kgo.Client, lost map[string][]int32) {
			s.drop(lost[events.TopicOrders])
		}),
	}, s.cfg.KafkaOpts...)...)
	if err != nil {
		return fmt.Errorf("processor: session: %w", err)
	}
	defer sess.Close()

	lastTimer := time.Now()
	for {
		if ctx.Err() != nil {
			return nil
		}
		if e := assignErr.Load(); e != nil {
			return fmt.Errorf("processor: %w", *e)
		}
		pollCtx, cancel := context.WithTimeout(ctx, s.cfg.PollWait)
		fs := sess.PollRecords(pollCtx, s.cfg.MaxBatch)
		cancel()
		if ctx.Err() != nil {
			return nil
		}
		if fs.IsClientClosed() {
			return nil
		}
		// A rebuild that failed inside this poll (the assignment callback runs in it) leaves a partition
		// without an engine while its commands may already be in fs: stop before they are skipped and
		// their offsets committed.
		if e := assignErr.Load(); e != nil {
			return fmt.Errorf("processor: %w", *e)
		}
		fs.EachError(func(t string, p int32, err error) {
			if !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled) {
				s.log.Warn("fetch error", "topic", t, "partition", p, "err", err)
			}
		})
		now := time.Now()
		runTimer := now.Sub(lastTimer) >= s.cfg.TimerInterval
		if runTimer {
			lastTimer = now
		}
		out := s.process(fs, s.cfg.Changed(), runTimer, now)
		if len(out) == 0 && fs.NumRecords() == 0 {
			continue
		}
		if err := s.commit(ctx, sess, out); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			s.Stats.Aborts.Add(1)
			s.log.Warn("transaction aborted; rebuilding assigned partitions", "err", err)
			if err := s.rebuildAll(ctx); err != nil {
				return fmt.Errorf("processor: %w", err)
			}
		}
	}
}

type output struct {
	partition int32
	reports   []events.ExecutionReport
}

// process runs each partition's batch in its own goroutine (the partition's owner for the duration of
// the batch), then the market- and timer-driven work, and returns the reports per partition.
func (s *Service) process(fs kgo.Fetches, changed []instrument.Symbol, timer bool, now time.Time) []output {
	byPart := map[int32][]*kgo.Record{}
	fs.EachRecord(func(r *kgo.Record) { byPart[r.Partition] = append(byPart[r.Partition], r) })
	s.mu.Lock()
	defer s.mu.Unlock()
	outs := make([]output, 0, len(s.engines))
	var wg sync.WaitGroup
	results := make([]output, len(s.engines))
	i := 0
	for p, eng := range s.engines {
		recs := byPart[p]
		if len(recs) == 0 && len(changed) == 0 && !timer {
			continue
		}
		wg.Add(1)
		go func(slot int, p int32, eng *Engine, recs []*kgo.Record) {
			defer wg.Done()
			var reps []events.ExecutionReport
			for _, r := range recs {
				cmd, err := events.DecodeCommand(r.Value)
				if err != nil {
					s.Stats.Poison.Add(1)
					s.log.Error("undecodable command skipped", "partition", p, "offset", r.Offset, "err", err)
					continue
				}
				s.Stats.Commands.Add(1)
				reps = append(reps, eng.Handle(cmd, now)...)
			}
			for _, sym := range changed {
				reps = append(reps, eng.OnMarket(sym, now)...)
			}
			if timer {
				reps = append(reps, eng.OnTimer(now)...)
			}
			results[slot] = output{partition: p, reports: reps}
		}(i, p, eng, recs)
		i++
	}
	wg.Wait()
	for _, o := range results[:i] {
		if len(o.reports) > 0 {
			outs = append(outs, o)
		}
	}
	return outs
}

func (s *Service) commit(ctx context.Context, sess *kgo.GroupTransactSession, outs []output) error {
	if err := sess.Begin(); err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	var (
		produceErr atomic.Pointer[error]
		wg         sync.WaitGroup
		n          int
	)
	for _, o := range outs {
		for _, r := range o.reports {
			n++
			wg.Add(1)
			rec := &kgo.Record{Topic: events.TopicExecutions, Partition: o.partition, Key: []byte(r.Account), Value: events.AppendReport(nil, r)}
			sess.Produce(ctx, rec, func(_ *kgo.Record, err error) {
				if err != nil {
					produceErr.CompareAndSwap(nil, &err)
				}
				wg.Done()
			})
		}
	}
	wg.Wait()
	try := kgo.TryCommit
	if produceErr.Load() != nil {
		try = kgo.TryAbort
	}
	committed, err := sess.End(ctx, try)
	if e := produceErr.Load(); e != nil {
		return fmt.Errorf("produce: %w", *e)
	}
	if err != nil {
		return fmt.Errorf("end: %w", err)
	}
	if !committed {
		return errors.New("transaction not committed (rebalance)")
	}
	s.Stats.Transactions.Add(1)
	s.Stats.Reports.Add(int64(n))
	return nil
}

// rebuildAll rebuilds every partition this instance holds: after an aborted transaction the engines
// hold changes that were never committed and must not survive.
func (s *Service) rebuildAll(ctx context.Context) error {
	s.mu.Lock()
	parts := make([]int32, 0, len(s.engines))
	for p := range s.engines {
		parts = append(parts, p)
	}
	s.mu.Unlock()
	return s.rebuild(ctx, parts)
}
