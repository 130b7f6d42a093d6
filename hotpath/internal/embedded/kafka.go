package embedded

import (
	"fmt"
	"log/slog"
	"maps"
	"net"
	"slices"
	"strconv"
	"sync"

	"github.com/twmb/franz-go/pkg/kfake"
)

// KafkaOptions configures StartKafka.
type KafkaOptions struct {
	// Addr is host:port of the single broker; "" or port 0 picks a free port on 127.0.0.1. A fixed
	// port lets outside clients (kcat) connect.
	Addr string
	// Topics are created at start (name → partitions) unless they already exist.
	Topics map[string]int32
	// DataDir, when set, persists the log there; a restart (or the next StartKafka on the same
	// directory) reloads it. Empty keeps everything in memory.
	DataDir string
	// Logger receives the broker's warnings and errors; nil discards them.
	Logger *slog.Logger
}

// Kafka is an in-process, single-broker Kafka-protocol cluster (franz-go's kfake) that speaks the wire
// protocol over TCP, with consumer groups, idempotent producers and transactions.
type Kafka struct {
	opts KafkaOptions
	host string
	port int
	log  *slog.Logger

	mu sync.Mutex // guards c across Close and Restart
	c  *kfake.Cluster
}

// StartKafka starts the broker and creates the topics.
func StartKafka(opts KafkaOptions) (*Kafka, error) {
	host, port, err := loopbackAddr(opts.Addr)
	if err != nil {
		return nil, fmt.Errorf("start kafka: %w", err)
	}
	k := &Kafka{opts: opts, host: host, port: port, log: orDiscard(opts.Logger).With("component", "kafka")}
	if err := k.start(); err != nil {
		return nil, err
	}
	return k, nil
}

func (k *Kafka) start() error {
	host := k.host
	o := []kfake.Opt{
		kfake.NumBrokers(1),
		kfake.Ports(k.port),
		// kfake binds 127.0.0.1; honour another host (the broker advertises what it binds).
		kfake.ListenFn(func(network, addr string) (net.Listener, error) {
			_, p, err := net.SplitHostPort(addr)
			if err != nil {
				return nil, err
			}
			return net.Listen(network, net.JoinHostPort(host, p))
		}),
		kfake.WithLogger(kfakeLogger{k.log}),
	}
	if k.opts.DataDir != "" {
		o = append(o, kfake.DataDir(k.opts.DataDir))
	}
	c, err := kfake.NewCluster(o...)
	if err != nil {
		return fmt.Errorf("start kafka on %s: %w", k.addr(), err)
	}
	// Created here rather than with SeedTopics: seeds are skipped when a data dir is reloaded, and a
	// topic added to the configuration later must still appear.
	for _, name := range slices.Sorted(maps.Keys(k.opts.Topics)) {
		if c.TopicInfo(name) != nil {
			continue
		}
		if err := c.CreateTopic(name, k.opts.Topics[name], nil); err != nil {
			c.Close()
			return fmt.Errorf("start kafka: create topic %s: %w", name, err)
		}
	}
	k.mu.Lock()
	k.c = c
	k.mu.Unlock()
	k.log.Info("kafka started", "addr", k.addr(), "topics", k.opts.Topics, "data_dir", k.opts.DataDir)
	return nil
}

func (k *Kafka) addr() string { return net.JoinHostPort(k.host, strconv.Itoa(k.port)) }

// Addrs returns the bootstrap addresses (one broker).
func (k *Kafka) Addrs() []string { return []string{k.addr()} }

// Cluster returns the running kfake cluster, for tests that inject faults (Cluster().ControlKey).
// It is nil after Close.
func (k *Kafka) Cluster() *kfake.Cluster {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.c
}

// Close stops the broker: clients then fail as against a dead one. Close is idempotent.
func (k *Kafka) Close() {
	k.mu.Lock()
	c := k.c
	k.c = nil
	k.mu.Unlock()
	if c != nil {
		c.Close()
		k.log.Info("kafka stopped", "addr", k.addr())
	}
}

// Restart starts a closed broker again on the same address. With DataDir the log, offsets and
// transactions come back; without it the broker starts empty with the configured topics.
func (k *Kafka) Restart() error {
	k.mu.Lock()
	running := k.c != nil
	k.mu.Unlock()
	if running {
		return fmt.Errorf("restart kafka on %s: still running", k.addr())
	}
	return k.start()
}

// kfakeLogger forwards kfake's warnings and errors to slog; its Info and Debug are per request.
type kfakeLogger struct{ l *slog.Logger }

func (k kfakeLogger) Logf(level kfake.LogLevel, format string, args ...any) {
	switch level {
	case kfake.LogLevelError:
		k.l.Error(fmt.Sprintf(format, args...))
	case kfake.LogLevelWarn:
		k.l.Warn(fmt.Sprintf(format, args...))
	}
}
