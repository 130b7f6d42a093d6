package cost

import (
	"fmt"
	"sort"
	"strings"

	"github.com/shopspring/decimal"
)

// OriginalDev is the original design's dev layout (its Terraform defaults) and the monthly figures its
// documentation published for it. Published is zero where the figure sat in the "other tables" that the
// summary did not itemise (NAT and nodes).
var OriginalDev = struct {
	NodeType, BrokerType, CacheType, DocDBClass string
	Nodes, Brokers, NodeDiskGiB, NATs, KMSKeys  int64
	PublishedTotal                              decimal.Decimal
	Published                                   map[string]decimal.Decimal
}{
	NodeType: "t3.small", BrokerType: "kafka.t3.small", CacheType: "cache.t3.micro", DocDBClass: "db.t3.medium",
	// 20 GiB is the EKS managed node group's default disk.
	Nodes: 1, Brokers: 2, NodeDiskGiB: 20, NATs: 1, KMSKeys: 5,
	PublishedTotal: decimal.NewFromInt(514),
	Published: map[string]decimal.Decimal{
		"EKS control plane": decimal.NewFromInt(72), "MSK brokers": decimal.NewFromInt(302), "ElastiCache": decimal.NewFromInt(12),
		"DocumentDB": decimal.NewFromInt(50), "ALB": decimal.NewFromInt(16), "KMS": decimal.NewFromInt(5), "S3": decimal.NewFromInt(1),
	},
}

// CrossCheckRow is one line of the original design's published dev cost beside the model's price for the
// same resources, at the model's 730 h month and at the 720 h month the published figures use.
type CrossCheckRow struct {
	Service     string
	Published   decimal.Decimal
	Itemised    bool
	Model       decimal.Decimal
	Model720    decimal.Decimal
	Explanation string
	Prices      []string
}

// CrossCheck is the whole reconciliation.
type CrossCheck struct {
	Rows []CrossCheckRow
	// ModelTotal prices the original Terraform defaults at 730 h; Model720Total at 720 h.
	ModelTotal, Model720Total decimal.Decimal
	// ImpliedBroker is the broker type whose 2 × 720 h price is nearest the published MSK figure, and
	// ImpliedTotal the 720 h total with it in place of kafka.t3.small.
	ImpliedBroker string
	ImpliedTotal  decimal.Decimal
	// Unitemised is the published total minus the itemised published lines and the model's 720 h price of
	// the lines the summary left to "other tables".
	Unitemised decimal.Decimal
}

// CrossCheck prices the original design's dev layout (EKS with 1 × t3.small node, MSK 2 × kafka.t3.small,
// cache.t3.micro, DocumentDB db.t3.medium, one ALB, one NAT gateway, 5 KMS keys, S3) with the price sheet
// and reconciles it with the published figures (about $514/month in total).
func (m Model) CrossCheck() (CrossCheck, error) {
	o := OriginalDev
	h720 := decimal.NewFromInt(720)
	H := m.Sheet.HoursPerMonth
	var missing error
	price := func(key string) decimal.Decimal {
		v, err := m.Sheet.Get(key)
		if err != nil && missing == nil {
			missing = err
		}
		return v
	}
	// Each row is a per-hour rate plus a per-month amount, so it can be priced at either month length.
	type spec struct {
		service      string
		hourly, flat decimal.Decimal
		keys         []string
		why          string
	}
	brokerKey := "msk." + o.BrokerType
	implied, impliedHourly := m.nearestBroker(o.Published["MSK brokers"], o.Brokers, h720)
	docdbHourly := o.Published["DocumentDB"].Div(h720)
	s3GB := o.Published["S3"].Div(price("s3.storage")).Round(0)
	specs := []spec{
		{"EKS control plane", price("eks.cluster"), decimal.Zero, []string{"eks.cluster"},
			"Same $0.10/h; the published figure used a 720 h month ($0.10 × 720 = $72), the model uses 730 h."},
		{"MSK brokers", price(brokerKey).Mul(dInt(o.Brokers)), decimal.Zero, []string{brokerKey},
			fmt.Sprintf("$302 is not 2 × kafka.t3.small. Among the sheet's broker sizes it matches 2 × %s at $%s/h × 720 h = $%s: the published table priced %s brokers, not the Terraform default.",
				implied, impliedHourly, impliedHourly.Mul(dInt(o.Brokers)).Mul(h720).StringFixed(2), implied)},
		{"ElastiCache", price("elasticache." + o.CacheType), decimal.Zero, []string{"elasticache." + o.CacheType},
			"cache.t3.micro at $0.017/h is $12.24 at 720 h: the published $12 is the same price, rounded."},
		{"DocumentDB", price("docdb." + o.DocDBClass), decimal.Zero, []string{"docdb." + o.DocDBClass},
			fmt.Sprintf("$50 implies $%s/h, below every DocumentDB instance class in the sheet (db.t3.medium lists $0.078/h = $56.16 at 720 h): a rounded or discounted rate. Storage and I/O were not in the published line either.", docdbHourly.StringFixed(4))},
		{"ALB", price("alb.hour"), decimal.Zero, []string{"alb.hour"},
			"Fixed hourly charge at 720 h = $16.20; LCUs at dev load round to $0 and were left out."},
		{"KMS", decimal.Zero, price("kms.key").Mul(dInt(o.KMSKeys)), []string{"kms.key"},
			"5 customer managed keys × $1/month; requests negligible at dev load."},
		{"S3", decimal.Zero, price("s3.storage").Mul(s3GB), []string{"s3.storage"},
			fmt.Sprintf("$1 buys about %s GB of S3 Standard at $0.023/GB-month; the model prices that much so the rows compare like for like.", s3GB)},
		{"NAT gateway", price("nat.hour").Mul(dInt(o.NATs)), decimal.Zero, []string{"nat.hour"},
			"In the published 'other tables'; 1 gateway's hourly charge, data processing not itemised."},
		{"EKS node", price("ec2." + o.NodeType).Mul(dInt(o.Nodes)), price("ebs.gp3").Mul(dInt(o.Nodes * o.NodeDiskGiB)), []string{"ec2." + o.NodeType, "ebs.gp3"},
			"In the published 'other tables'; 1 × t3.small on demand with the node group's default 20 GiB disk."},
	}
	if missing != nil {
		return CrossCheck{}, missing
	}
	var cc CrossCheck
	itemisedPublished, other720 := decimal.Zero, decimal.Zero
	for _, s := range specs {
		pub, itemised := o.Published[s.service]
		r := CrossCheckRow{
			Service: s.service, Published: pub, Itemised: itemised,
			Model:       s.hourly.Mul(H).Add(s.flat).Round(2),
			Model720:    s.hourly.Mul(h720).Add(s.flat).Round(2),
			Explanation: s.why, Prices: s.keys,
		}
		cc.Rows = append(cc.Rows, r)
		cc.ModelTotal = cc.ModelTotal.Add(r.Model)
		cc.Model720Total = cc.Model720Total.Add(r.Model720)
		if itemised {
			itemisedPublished = itemisedPublished.Add(pub)
		} else {
			other720 = other720.Add(r.Model720)
		}
	}
	cc.ImpliedBroker = implied
	defaultBrokers720 := price(brokerKey).Mul(dInt(o.Brokers)).Mul(h720).Round(2)
	cc.ImpliedTotal = cc.Model720Total.Sub(defaultBrokers720).Add(impliedHourly.Mul(dInt(o.Brokers)).Mul(h720).Round(2))
	cc.Unitemised = o.PublishedTotal.Sub(itemisedPublished).Sub(other720)
	return cc, nil
}

// nearestBroker returns the MSK broker type in the sheet whose n brokers × hours come nearest target.
func (m Model) nearestBroker(target decimal.Decimal, n int64, hours decimal.Decimal) (string, decimal.Decimal) {
	var keys []string
	for _, k := range m.Sheet.Keys() {
		if strings.HasPrefix(k, "msk.kafka.") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	best, bestHourly, bestGap := "", decimal.Zero, decimal.Zero
	for _, k := range keys {
		hourly := m.Sheet.Prices[k].USD
		gap := hourly.Mul(dInt(n)).Mul(hours).Sub(target).Abs()
		if best == "" || gap.LessThan(bestGap) {
			best, bestHourly, bestGap = strings.TrimPrefix(k, "msk."), hourly, gap
		}
	}
	return best, bestHourly
}
