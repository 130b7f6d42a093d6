package gateway

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
)

// orderRequest is the POST /api/orders body: the original design's fields plus our additive ones.
// Numbers may be JSON numbers or decimal strings, so they arrive raw.
type orderRequest struct {
	Symbol        string          `json:"symbol"`
	Side          string          `json:"side"`
	OrderType     string          `json:"orderType"`
	Quantity      json.RawMessage `json:"quantity"`
	Price         json.RawMessage `json:"price"`
	StopPrice     json.RawMessage `json:"stopPrice"`
	ClientOrderID string          `json:"clientOrderId"`
	TimeInForce   string          `json:"timeInForce"`
	ExpireTime    string          `json:"expireTime"`
	PostOnly      bool            `json:"postOnly"`
	ReduceOnly    bool            `json:"reduceOnly"`
}

type amendRequest struct {
	Quantity json.RawMessage `json:"quantity"`
	Price    json.RawMessage `json:"price"`
}

// decodeStrict decodes exactly one JSON value with no unknown fields.
func decodeStrict(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var ute *json.UnmarshalTypeError
		switch {
		case errors.As(err, &ute):
			return errf(KindInvalid, "INVALID_FIELD_TYPE", ute.Field, fmt.Sprintf("field %s has the wrong type (%s)", ute.Field, ute.Value))
		case errors.Is(err, io.EOF):
			return errf(KindInvalid, "EMPTY_BODY", "", "request body is empty")
		}
		if f, ok := unknownField(err); ok {
			return errf(KindInvalid, "UNKNOWN_FIELD", f, fmt.Sprintf("unknown field %s", f))
		}
		return errf(KindInvalid, "MALFORMED_JSON", "", "request body is not valid JSON: "+err.Error())
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errf(KindInvalid, "MALFORMED_JSON", "", "request body has data after the JSON value")
	}
	return nil
}

func unknownField(err error) (string, bool) {
	const p = "json: unknown field "
	s := err.Error()
	if len(s) > len(p) && s[:len(p)] == p {
		f, uerr := strconv.Unquote(s[len(p):])
		if uerr == nil {
			return f, true
		}
	}
	return "", false
}

// decimalField reads a JSON number, a decimal string, null or absence.
func decimalField(field string, raw json.RawMessage) (money.Decimal, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return money.Zero, nil
	}
	s := string(raw)
	if raw[0] == '"' {
		if err := json.Unmarshal(raw, &s); err != nil {
			return money.Zero, errf(KindInvalid, "INVALID_NUMBER", field, field+" must be a number or a decimal string")
		}
	}
	d, err := money.Parse(s)
	if err != nil {
		return money.Zero, errf(KindInvalid, "INVALID_NUMBER", field, fmt.Sprintf("%s must be a number or a decimal string, got %.40s", field, s))
	}
	return d, nil
}

// parseOrder turns a request into a validated Spec for account. idemKey is the request's idempotency
// key, used as the client order id when the body has none.
func parseOrder(body []byte, account order.AccountID, idemKey string, cat *instrument.Catalog, now time.Time) (order.Spec, error) {
	var req orderRequest
	if err := decodeStrict(body, &req); err != nil {
		return order.Spec{}, err
	}
	return specFrom(req, account, idemKey, cat, now)
}

func specFrom(req orderRequest, account order.AccountID, idemKey string, cat *instrument.Catalog, now time.Time) (order.Spec, error) {
	var s order.Spec
	if req.Symbol == "" {
		return s, errf(KindInvalid, "FIELD_REQUIRED", "symbol", "symbol is required")
	}
	sym, err := instrument.ParseSymbol(req.Symbol)
	if err != nil {
		return s, errf(KindInvalid, "INVALID_SYMBOL", "symbol", err.Error())
	}
	in, ok := cat.Lookup(sym)
	if !ok {
		return s, errf(KindInvalid, "UNKNOWN_SYMBOL", "symbol", fmt.Sprintf("symbol %s is not traded here", sym))
	}
	if s.Side, err = order.ParseSide(req.Side); err != nil {
		return s, errf(KindInvalid, "INVALID_SIDE", "side", "side must be BUY or SELL")
	}
	if s.Type, err = order.ParseType(req.OrderType); err != nil {
		return s, errf(KindInvalid, "INVALID_ORDER_TYPE", "orderType", "orderType must be MARKET, LIMIT, STOP_MARKET or STOP_LIMIT")
	}
	switch {
	case req.TimeInForce != "":
		if s.TimeInForce, err = order.ParseTimeInForce(req.TimeInForce); err != nil {
			return s, errf(KindInvalid, "INVALID_TIME_IN_FORCE", "timeInForce", "timeInForce must be GTC, IOC, FOK or GTD")
		}
	case s.Type == order.Market || s.Type == order.StopMarket:
		s.TimeInForce = order.IOC
	default:
		s.TimeInForce = order.GTC
	}
	if len(bytes.TrimSpace(req.Quantity)) == 0 || string(bytes.TrimSpace(req.Quantity)) == "null" {
		return s, errf(KindInvalid, "FIELD_REQUIRED", "quantity", "quantity is required")
	}
	if s.Quantity, err = decimalField("quantity", req.Quantity); err != nil {
		return s, err
	}
	if s.Price, err = decimalField("price", req.Price); err != nil {
		return s, err
	}
	if s.StopPrice, err = decimalField("stopPrice", req.StopPrice); err != nil {
		return s, err
	}
	if req.ExpireTime != "" {
		if s.ExpireTime, err = time.Parse(time.RFC3339Nano, req.ExpireTime); err != nil {
			return s, errf(KindInvalid, "INVALID_EXPIRE_TIME", "expireTime", "expireTime must be an RFC 3339 timestamp")
		}
	}
	s.PostOnly, s.ReduceOnly = req.PostOnly, req.ReduceOnly
	s.ClientOrderID = req.ClientOrderID
	if s.ClientOrderID == "" {
		s.ClientOrderID = idemKey
	}
	if !validClientID(s.ClientOrderID) {
		return s, errf(KindInvalid, "INVALID_CLIENT_ORDER_ID", "clientOrderId", "clientOrderId must be 1 to 64 characters of A-Z a-z 0-9 . _ : -")
	}
	s.Account, s.Symbol = account, sym
	s.ID = order.NewID(account, s.ClientOrderID)
	if err := s.Validate(in, now); err != nil {
		var fe *order.FieldError
		if errors.As(err, &fe) {
			return s, errf(KindInvalid, fe.Code, fe.Field, fe.Msg)
		}
		return s, errf(KindInvalid, "INVALID_ORDER", "", err.Error())
	}
	return s, nil
}

func validClientID(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == ':' || c == '-'
		if !ok {
			return false
		}
	}
	return true
}

func validOrderID(s string) bool {
	if len(s) != 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
