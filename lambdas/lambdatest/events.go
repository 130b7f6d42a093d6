package lambdatest

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/auth"
	oms "github.com/crypto-oms/crypto-oms/hotpath/domain/events"
)

// What an MSK event source mapping in us-east-1 puts around the records (the ARN and brokers of a
// provisioned cluster with IAM authentication on port 9098).
const (
	MSKClusterARN = "arn:aws:kafka:us-east-1:123456789012:cluster/oms-dev/7d1e3c52-85a4-4b8e-9d7c-2f0c6a1b9e41-3"
	MSKBrokers    = "b-1.omsdev.k3x9qd.c3.kafka.us-east-1.amazonaws.com:9098,b-2.omsdev.k3x9qd.c3.kafka.us-east-1.amazonaws.com:9098"
)

// Header is one Kafka record header.
type Header struct {
	Key   string
	Value []byte
}

// Record is a Kafka record on its way into an event-source batch.
type Record struct {
	Topic     string
	Partition int32
	Offset    int64
	Key       []byte
	Value     []byte
	Time      time.Time
	Headers   []Header
}

// ReportRecords lays reports out on `executions` as the processor produces them: keyed by account, on
// the partition part(account) says, with consecutive offsets per partition starting at base[partition].
func ReportRecords(reps []oms.ExecutionReport, part func(acct string) int32, base map[int32]int64) []Record {
	next := map[int32]int64{}
	for p, o := range base {
		next[p] = o
	}
	out := make([]Record, 0, len(reps))
	for _, r := range reps {
		p := part(string(r.Account))
		out = append(out, Record{Topic: oms.TopicExecutions, Partition: p, Offset: next[p], Key: []byte(r.Account),
			Value: oms.AppendReport(nil, r), Time: r.TransactTime})
		next[p]++
	}
	return out
}

// MSKEvent returns records as an MSK event source delivers them to a function: grouped under
// "topic-partition" keys in offset order, keys and values base64, headers as arrays of byte arrays,
// timestamps in Unix milliseconds.
func MSKEvent(recs []Record) events.KafkaEvent {
	ev := events.KafkaEvent{
		EventSource:      "aws:kafka",
		EventSourceARN:   MSKClusterARN,
		BootstrapServers: MSKBrokers,
		Records:          map[string][]events.KafkaRecord{},
	}
	for _, r := range recs {
		k := r.Topic + "-" + strconv.Itoa(int(r.Partition))
		kr := events.KafkaRecord{
			Topic: r.Topic, Partition: int64(r.Partition), Offset: r.Offset,
			Timestamp:     events.MilliSecondsEpochTime{Time: r.Time.UTC().Truncate(time.Millisecond)},
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
	for k := range ev.Records {
		slices.SortStableFunc(ev.Records[k], func(a, b events.KafkaRecord) int { return cmp.Compare(a.Offset, b.Offset) })
	}
	return ev
}

// The order-query target group of the estate, as the ALB names it in requests.
const TargetGroupARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/oms-dev-order-query/6d0ecf831eec9f09"

// ALBRequest returns a request as an ALB target group without multi-value headers delivers it to a
// function: lower-case headers, the query string as a map of still URL-encoded names and values, the
// client's address in X-Forwarded-For. pathAndQuery is what the client requested, such as
// "/api/orders?status=open&limit=5".
func ALBRequest(method, pathAndQuery string) events.ALBTargetGroupRequest {
	p, q, _ := strings.Cut(pathAndQuery, "?")
	req := events.ALBTargetGroupRequest{
		HTTPMethod: method, Path: p,
		Headers: map[string]string{
			"accept":            "application/json",
			"host":              "api.oms.example.com",
			"user-agent":        "oms-client/1.4 (go1.26)",
			"x-amzn-trace-id":   "Root=1-6745183f-3c1f2e0b7a9d4c5e6f708192",
			"x-forwarded-for":   "203.0.113.24",
			"x-forwarded-port":  "443",
			"x-forwarded-proto": "https",
		},
		RequestContext: events.ALBTargetGroupRequestContext{ELB: events.ELBContext{TargetGroupArn: TargetGroupARN}},
	}
	if q != "" {
		req.QueryStringParameters = map[string]string{}
		for _, kv := range strings.Split(q, "&") {
			k, v, _ := strings.Cut(kv, "=")
			req.QueryStringParameters[k] = v
		}
	}
	return req
}

// SignedPath is the path and query a client signed for req, with the parameters in name order (one of
// the forms the functions accept, since the ALB does not keep the client's order).
func SignedPath(req events.ALBTargetGroupRequest) string {
	if len(req.QueryStringParameters) == 0 {
		return req.Path
	}
	pairs := make([]string, 0, len(req.QueryStringParameters))
	for k, v := range req.QueryStringParameters {
		pairs = append(pairs, k+"="+v)
	}
	sort.Strings(pairs)
	return req.Path + "?" + strings.Join(pairs, "&")
}

// Sign sets the X-OMS-* headers of req for key k at now, as a client of the gateway does.
func Sign(req *events.ALBTargetGroupRequest, k auth.Key, now time.Time) {
	ts := strconv.FormatInt(now.UnixMilli(), 10)
	if req.Headers == nil {
		req.Headers = map[string]string{}
	}
	req.Headers[strings.ToLower(auth.HeaderKey)] = k.ID
	req.Headers[strings.ToLower(auth.HeaderTimestamp)] = ts
	req.Headers[strings.ToLower(auth.HeaderSignature)] = auth.Sign(k.Secret, ts, req.HTTPMethod, SignedPath(*req), []byte(req.Body))
}

// Encode is how fixture files are written: indented JSON with a final newline, so diffs stay readable.
func Encode(v any) ([]byte, error) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode fixture: %w", err)
	}
	return append(b, '\n'), nil
}
