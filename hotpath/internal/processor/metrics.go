package processor

import "github.com/prometheus/client_golang/prometheus"

// RegisterMetrics exposes the service's counters on reg.
func (s *Service) RegisterMetrics(reg prometheus.Registerer) {
	counter := func(name, help string, v func() int64) prometheus.Collector {
		return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help}, func() float64 { return float64(v()) })
	}
	reg.MustRegister(
		counter("oms_processor_commands_total", "Order commands processed.", s.Stats.Commands.Load),
		counter("oms_processor_reports_total", "Execution reports committed.", s.Stats.Reports.Load),
		counter("oms_processor_transactions_total", "Kafka transactions committed.", s.Stats.Transactions.Load),
		counter("oms_processor_aborts_total", "Kafka transactions aborted (state rebuilt after each).", s.Stats.Aborts.Load),
		counter("oms_processor_rebuilds_total", "Partitions rebuilt from the executions log.", s.Stats.Rebuilds.Load),
		counter("oms_processor_poison_total", "Undecodable records skipped.", s.Stats.Poison.Load),
	)
}
