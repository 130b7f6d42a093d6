package admin

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/account"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/auth"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
	"github.com/crypto-oms/crypto-oms/lambdas/albapi"
)

// MaxBody bounds request bodies; the largest real one (risk limits for every symbol) is far smaller.
const MaxBody = 64 << 10

// Field limits.
const (
	MaxReason = 200
	MaxName   = 100
	MaxLabel  = 100
)

var accountIDRe = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// ValidAccountID reports whether s is a usable account id: 1..64 of A-Z a-z 0-9 _ -.
func ValidAccountID(s string) bool { return accountIDRe.MatchString(s) }

func invalid(code, field, msg string) error { return albapi.Errf(albapi.Invalid, code, field, msg) }

// object is a JSON object body, field by field, so each field's problem is reported by name.
type object map[string]json.RawMessage

func parseObject(body []byte, known ...string) (object, error) {
	if len(body) > MaxBody {
		return nil, invalid("BODY_TOO_LARGE", "", fmt.Sprintf("request body exceeds %d bytes", MaxBody))
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, invalid("EMPTY_BODY", "", "send a JSON object")
	}
	var o object
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&o); err != nil || o == nil {
		return nil, invalid("MALFORMED_JSON", "", "the body is not one JSON object")
	}
	if _, err := dec.Token(); err == nil {
		return nil, invalid("MALFORMED_JSON", "", "the body has data after the JSON object")
	}
	names := make([]string, 0, len(o))
	for k := range o {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if !contains(known, k) {
			return nil, invalid("UNKNOWN_FIELD", k, fmt.Sprintf("unknown field %q (known: %s)", k, strings.Join(known, ", ")))
		}
	}
	return o, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// has reports whether the field is present and not null.
func (o object) has(name string) bool {
	v, ok := o[name]
	return ok && !bytes.Equal(bytes.TrimSpace(v), []byte("null"))
}

func (o object) str(name string, required bool) (string, error) {
	if !o.has(name) {
		if required {
			return "", invalid("FIELD_REQUIRED", name, name+" is required")
		}
		return "", nil
	}
	var s string
	if err := json.Unmarshal(o[name], &s); err != nil {
		return "", invalid("INVALID_FIELD_TYPE", name, name+" must be a string")
	}
	return s, nil
}

// decimal reads a decimal given as a string ("0.1") or a JSON number (0.1).
func decimalOf(field string, raw json.RawMessage) (money.Decimal, error) {
	raw = bytes.TrimSpace(raw)
	text := string(raw)
	if len(raw) > 0 && raw[0] == '"' {
		if err := json.Unmarshal(raw, &text); err != nil {
			return money.Zero, invalid("INVALID_FIELD_TYPE", field, field+" must be a decimal string or number")
		}
	} else if len(raw) == 0 || (raw[0] != '-' && (raw[0] < '0' || raw[0] > '9')) {
		return money.Zero, invalid("INVALID_FIELD_TYPE", field, field+" must be a decimal string or number")
	}
	d, err := money.Parse(text)
	if err != nil {
		return money.Zero, invalid("INVALID_NUMBER", field, field+" is not a decimal number")
	}
	return d, nil
}

// text checks a human-entered string: trimmed, min..max characters, no control characters.
func text(field, s string, minLen, maxLen int) (string, error) {
	s = strings.TrimSpace(s)
	n := utf8.RuneCountInString(s)
	bad := !utf8.ValidString(s) || strings.IndexFunc(s, unicode.IsControl) >= 0
	if n < minLen || n > maxLen || bad {
		return "", invalid("INVALID_"+strings.ToUpper(field), field, fmt.Sprintf("%s must be %d to %d printable characters", field, minLen, maxLen))
	}
	return s, nil
}

// StateChange is a validated POST /api/admin/trading-state body.
type StateChange struct {
	Scope  events.Scope
	Target string // "" for GLOBAL; an account id; a canonical symbol
	State  events.TradingState
	Reason string
}

// ParseStateChange validates a trading-state change: scope GLOBAL (no target), ACCOUNT (an account
// id) or SYMBOL (a symbol of cat, as BTC-USD or BTC/USD); state ACTIVE, REDUCING or HALTED; a reason
// of 1..200 characters. Enum names are case-insensitive.
func ParseStateChange(body []byte, cat *instrument.Catalog) (StateChange, error) {
	o, err := parseObject(body, "scope", "target", "state", "reason")
	if err != nil {
		return StateChange{}, err
	}
	var sc StateChange
	scope, err := o.str("scope", true)
	if err != nil {
		return StateChange{}, err
	}
	if sc.Scope, err = events.ParseScope(strings.ToUpper(scope)); err != nil {
		return StateChange{}, invalid("INVALID_SCOPE", "scope", "scope must be GLOBAL, ACCOUNT or SYMBOL")
	}
	target, err := o.str("target", false)
	if err != nil {
		return StateChange{}, err
	}
	switch sc.Scope {
	case events.ScopeGlobal:
		if target != "" {
			return StateChange{}, invalid("INVALID_TARGET", "target", "a GLOBAL state has no target")
		}
	case events.ScopeAccount:
		if !ValidAccountID(target) {
			return StateChange{}, invalid("INVALID_TARGET", "target", "target must be an account id (1-64 of A-Z a-z 0-9 _ -)")
		}
		sc.Target = target
	case events.ScopeSymbol:
		sym, err := instrument.ParseSymbol(target)
		if err != nil {
			return StateChange{}, invalid("INVALID_SYMBOL", "target", "target must be a symbol such as BTC-USD or BTC/USD")
		}
		if _, ok := cat.Lookup(sym); !ok {
			return StateChange{}, invalid("UNKNOWN_SYMBOL", "target", fmt.Sprintf("%s is not a traded symbol", sym))
		}
		sc.Target = string(sym)
	}
	state, err := o.str("state", true)
	if err != nil {
		return StateChange{}, err
	}
	if sc.State, err = events.ParseTradingState(strings.ToUpper(state)); err != nil {
		return StateChange{}, invalid("INVALID_STATE", "state", "state must be ACTIVE, REDUCING or HALTED")
	}
	reason, err := o.str("reason", true)
	if err != nil {
		return StateChange{}, err
	}
	if sc.Reason, err = text("reason", reason, 1, MaxReason); err != nil {
		return StateChange{}, err
	}
	return sc, nil
}

// NewAccount is a validated POST /api/admin/accounts body.
type NewAccount struct {
	ID   order.AccountID
	Name string
}

// ParseNewAccount validates an account: an id of 1..64 of A-Z a-z 0-9 _ - and a name of 1..100
// printable characters.
func ParseNewAccount(body []byte) (NewAccount, error) {
	o, err := parseObject(body, "accountId", "name")
	if err != nil {
		return NewAccount{}, err
	}
	id, err := o.str("accountId", true)
	if err != nil {
		return NewAccount{}, err
	}
	if !ValidAccountID(id) {
		return NewAccount{}, invalid("INVALID_ACCOUNT_ID", "accountId", "accountId must be 1-64 of A-Z a-z 0-9 _ -")
	}
	name, err := o.str("name", true)
	if err != nil {
		return NewAccount{}, err
	}
	if name, err = text("name", name, 1, MaxName); err != nil {
		return NewAccount{}, err
	}
	return NewAccount{ID: order.AccountID(id), Name: name}, nil
}

// NewKey is a validated POST /api/admin/api-keys body.
type NewKey struct {
	Account order.AccountID
	Scopes  []auth.Scope
	Label   string
}

// ParseNewKey validates a key request: an account id, one or more distinct scopes of trade, read and
// admin, and an optional label of up to 100 printable characters.
func ParseNewKey(body []byte) (NewKey, error) {
	o, err := parseObject(body, "accountId", "scopes", "label")
	if err != nil {
		return NewKey{}, err
	}
	id, err := o.str("accountId", true)
	if err != nil {
		return NewKey{}, err
	}
	if !ValidAccountID(id) {
		return NewKey{}, invalid("INVALID_ACCOUNT_ID", "accountId", "accountId must be 1-64 of A-Z a-z 0-9 _ -")
	}
	if !o.has("scopes") {
		return NewKey{}, invalid("FIELD_REQUIRED", "scopes", `scopes is required, e.g. ["trade","read"]`)
	}
	var scopes []string
	if err := json.Unmarshal(o["scopes"], &scopes); err != nil {
		return NewKey{}, invalid("INVALID_FIELD_TYPE", "scopes", "scopes must be an array of strings")
	}
	k := NewKey{Account: order.AccountID(id)}
	for _, s := range scopes {
		sc := auth.Scope(strings.ToLower(s))
		switch sc {
		case auth.ScopeTrade, auth.ScopeRead, auth.ScopeAdmin:
		default:
			return NewKey{}, invalid("INVALID_KEY_SCOPE", "scopes", fmt.Sprintf("unknown scope %q: use trade, read or admin", s))
		}
		if k.has(sc) {
			return NewKey{}, invalid("INVALID_KEY_SCOPE", "scopes", fmt.Sprintf("scope %q given twice", sc))
		}
		k.Scopes = append(k.Scopes, sc)
	}
	if len(k.Scopes) == 0 {
		return NewKey{}, invalid("INVALID_KEY_SCOPE", "scopes", "a key needs at least one scope")
	}
	label, err := o.str("label", false)
	if err != nil {
		return NewKey{}, err
	}
	if label != "" {
		if k.Label, err = text("label", label, 1, MaxLabel); err != nil {
			return NewKey{}, err
		}
	}
	return k, nil
}

func (k NewKey) has(s auth.Scope) bool {
	for _, x := range k.Scopes {
		if x == s {
			return true
		}
	}
	return false
}

// ParseRiskLimits validates a PUT of an account's risk limits. The body is a RiskLimits object;
// every limit left out takes its value from defaults, and a per-symbol map that is given replaces the
// default map whole. The read-only fields of a GET (source, updatedAt, updatedBy) are accepted and
// ignored, so a client can send back what it read; accountId, when present, must be acct.
func ParseRiskLimits(body []byte, acct order.AccountID, defaults account.Limits, cat *instrument.Catalog) (account.Limits, error) {
	o, err := parseObject(body, "accountId", "maxOrderNotional", "priceCollarPct", "maxOpenOrders", "maxOrdersPerSec",
		"maxOrderQty", "maxPosition", "source", "updatedAt", "updatedBy")
	if err != nil {
		return account.Limits{}, err
	}
	if id, err := o.str("accountId", false); err != nil {
		return account.Limits{}, err
	} else if id != "" && id != string(acct) {
		return account.Limits{}, invalid("ACCOUNT_MISMATCH", "accountId", "accountId in the body differs from the path")
	}
	l := defaults
	l.MaxOrderQty, l.MaxPosition = maps.Clone(defaults.MaxOrderQty), maps.Clone(defaults.MaxPosition)
	for _, f := range []struct {
		name string
		dst  *money.Decimal
	}{{"maxOrderNotional", &l.MaxOrderNotional}, {"priceCollarPct", &l.PriceCollarPct}} {
		if o.has(f.name) {
			if *f.dst, err = decimalOf(f.name, o[f.name]); err != nil {
				return account.Limits{}, err
			}
		}
	}
	for _, f := range []struct {
		name string
		dst  *int
	}{{"maxOpenOrders", &l.MaxOpenOrders}, {"maxOrdersPerSec", &l.MaxOrdersPerSec}} {
		if o.has(f.name) {
			if *f.dst, err = count(f.name, o[f.name]); err != nil {
				return account.Limits{}, err
			}
		}
	}
	for _, f := range []struct {
		name string
		dst  *map[instrument.Symbol]money.Decimal
	}{{"maxOrderQty", &l.MaxOrderQty}, {"maxPosition", &l.MaxPosition}} {
		if o.has(f.name) {
			if *f.dst, err = symbolMap(f.name, o[f.name]); err != nil {
				return account.Limits{}, err
			}
		}
	}
	if err := l.Validate(cat); err != nil {
		var le *account.LimitError
		if errors.As(err, &le) {
			return account.Limits{}, invalid(le.Code, le.Field, le.Field+" "+le.Msg)
		}
		return account.Limits{}, err
	}
	return l, nil
}

func count(field string, raw json.RawMessage) (int, error) {
	// json.Number would also take "5"; counts are JSON numbers only.
	var n json.Number
	if t := bytes.TrimSpace(raw); len(t) == 0 || t[0] == '"' || json.Unmarshal(t, &n) != nil {
		return 0, invalid("INVALID_FIELD_TYPE", field, field+" must be a whole number")
	}
	v, err := strconv.ParseInt(string(n), 10, 32)
	if err != nil {
		return 0, invalid(account.InvalidLimit, field, fmt.Sprintf("%s must be a whole number from 0 (no limit) to %d", field, account.MaxLimitCount))
	}
	return int(v), nil
}

func symbolMap(field string, raw json.RawMessage) (map[instrument.Symbol]money.Decimal, error) {
	var in map[string]json.RawMessage
	if err := json.Unmarshal(raw, &in); err != nil {
		return nil, invalid("INVALID_FIELD_TYPE", field, field+` must be an object such as {"BTC-USD":"50"}`)
	}
	keys := make([]string, 0, len(in))
	for k := range in {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make(map[instrument.Symbol]money.Decimal, len(in))
	for _, k := range keys {
		sym, err := instrument.ParseSymbol(k)
		if err != nil {
			return nil, invalid("INVALID_SYMBOL", field+"."+k, "symbols look like BTC-USD or BTC/USD")
		}
		if _, dup := out[sym]; dup {
			return nil, invalid(account.InvalidLimit, field+"."+string(sym), string(sym)+" is given twice")
		}
		if out[sym], err = decimalOf(field+"."+string(sym), in[k]); err != nil {
			return nil, err
		}
	}
	return out, nil
}
