package admin

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/account"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/auth"
	oms "github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
	"github.com/crypto-oms/crypto-oms/lambdas/adminstore"
	"github.com/crypto-oms/crypto-oms/lambdas/albapi"
	"github.com/crypto-oms/crypto-oms/lambdas/keystore"
)

// ts formats a time as the contract does: RFC 3339, UTC, milliseconds.
func ts(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// optTS is a time that may not have happened yet: omitted from the answer when zero.
func optTS(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return ts(t)
}

func noParams(c *call) error {
	_, err := albapi.QueryParams(c.req.Query)
	return err
}

type whoamiView struct {
	KeyID     string   `json:"keyId"`
	AccountID string   `json:"accountId"`
	Scopes    []string `json:"scopes"`
}

func scopeNames(s []auth.Scope) []string {
	out := make([]string, 0, len(s))
	for _, x := range s {
		out = append(out, string(x))
	}
	return out
}

func (h *Handler) whoami(_ context.Context, c *call) (int, any, error) {
	if err := noParams(c); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, whoamiView{KeyID: c.key.ID, AccountID: string(c.key.Account), Scopes: scopeNames(c.key.Scopes)}, nil
}

// stateView is a StateEntry.
type stateView struct {
	Scope     string `json:"scope"`
	Target    string `json:"target"`
	State     string `json:"state"`
	Reason    string `json:"reason"`
	By        string `json:"by"`
	At        string `json:"at,omitempty"`
	CommandID string `json:"commandId"`
}

func viewState(t adminstore.TradingState) stateView {
	return stateView{Scope: t.Scope.String(), Target: t.Target, State: t.State.String(), Reason: t.Reason, By: t.By, At: optTS(t.At), CommandID: t.CommandID}
}

func (h *Handler) tradingStates(ctx context.Context, c *call) (int, any, error) {
	if err := noParams(c); err != nil {
		return 0, nil, err
	}
	all, err := h.cfg.Store.TradingStates(ctx)
	if err != nil {
		return 0, nil, storeErr(err)
	}
	out := struct {
		Global   stateView   `json:"global"`
		Accounts []stateView `json:"accounts"`
		Symbols  []stateView `json:"symbols"`
	}{Global: viewState(adminstore.TradingState{Scope: oms.ScopeGlobal, State: oms.Active}), Accounts: []stateView{}, Symbols: []stateView{}}
	for _, t := range all {
		switch t.Scope {
		case oms.ScopeGlobal:
			out.Global = viewState(t)
		case oms.ScopeAccount:
			out.Accounts = append(out.Accounts, viewState(t))
		case oms.ScopeSymbol:
			out.Symbols = append(out.Symbols, viewState(t))
		}
	}
	return http.StatusOK, out, nil
}

func (h *Handler) setTradingState(ctx context.Context, c *call) (int, any, error) {
	if err := noParams(c); err != nil {
		return 0, nil, err
	}
	sc, err := ParseStateChange(c.req.Body, h.cfg.Catalog)
	if err != nil {
		return 0, nil, err
	}
	c.target = sc.Scope.String()
	if sc.Target != "" {
		c.target += "/" + sc.Target
	}
	if sc.Scope == oms.ScopeAccount {
		if err := h.knownAccount(ctx, order.AccountID(sc.Target)); err != nil {
			return 0, nil, err
		}
	}
	cmd := oms.Control{Kind: oms.ControlTradingState, ID: newCommandID(), Scope: sc.Scope, Target: sc.Target, State: sc.State,
		Reason: sc.Reason, By: c.key.ID, At: c.now.Truncate(time.Millisecond)}
	c.details["scope"], c.details["state"], c.details["reason"], c.details["commandId"] = sc.Scope.String(), sc.State.String(), sc.Reason, cmd.ID
	if err := h.publish(ctx, cmd); err != nil {
		return 0, nil, err
	}
	rec := adminstore.TradingState{Scope: cmd.Scope, Target: cmd.Target, State: cmd.State, Reason: cmd.Reason, By: cmd.By, At: cmd.At, CommandID: cmd.ID}
	if err := h.cfg.Store.PutTradingState(ctx, rec); err != nil {
		return 0, nil, unrecorded(cmd.ID, err)
	}
	return http.StatusAccepted, viewState(rec), nil
}

type accountView struct {
	AccountID string `json:"accountId"`
	Name      string `json:"name"`
	Status    string `json:"status"`
	CreatedAt string `json:"createdAt"`
	CreatedBy string `json:"createdBy"`
}

func viewAccount(a adminstore.Account) accountView {
	return accountView{AccountID: string(a.ID), Name: a.Name, Status: a.Status, CreatedAt: ts(a.CreatedAt), CreatedBy: a.CreatedBy}
}

func (h *Handler) accounts(ctx context.Context, c *call) (int, any, error) {
	if err := noParams(c); err != nil {
		return 0, nil, err
	}
	as, err := h.cfg.Store.Accounts(ctx)
	if err != nil {
		return 0, nil, storeErr(err)
	}
	out := struct {
		Accounts []accountView `json:"accounts"`
	}{Accounts: make([]accountView, 0, len(as))}
	for _, a := range as {
		out.Accounts = append(out.Accounts, viewAccount(a))
	}
	return http.StatusOK, out, nil
}

func (h *Handler) createAccount(ctx context.Context, c *call) (int, any, error) {
	if err := noParams(c); err != nil {
		return 0, nil, err
	}
	na, err := ParseNewAccount(c.req.Body)
	if err != nil {
		return 0, nil, err
	}
	c.target, c.details["name"] = string(na.ID), na.Name
	a, err := h.cfg.Store.CreateAccount(ctx, adminstore.Account{ID: na.ID, Name: na.Name, Status: "ACTIVE", CreatedAt: c.now, CreatedBy: c.key.ID})
	if errors.Is(err, adminstore.ErrExists) {
		return 0, nil, albapi.Errf(albapi.Conflict, "ACCOUNT_EXISTS", "accountId", "account "+string(na.ID)+" already exists")
	} else if err != nil {
		return 0, nil, storeErr(err)
	}
	return http.StatusCreated, viewAccount(a), nil
}

// limitsView is RiskLimits.
type limitsView struct {
	AccountID        string            `json:"accountId"`
	MaxOrderNotional string            `json:"maxOrderNotional"`
	PriceCollarPct   string            `json:"priceCollarPct"`
	MaxOpenOrders    int               `json:"maxOpenOrders"`
	MaxOrdersPerSec  int               `json:"maxOrdersPerSec"`
	MaxOrderQty      map[string]string `json:"maxOrderQty"`
	MaxPosition      map[string]string `json:"maxPosition"`
	Source           string            `json:"source"`
	UpdatedAt        string            `json:"updatedAt,omitempty"`
	UpdatedBy        string            `json:"updatedBy,omitempty"`
}

func symbolStrings(m map[instrument.Symbol]money.Decimal) map[string]string {
	out := make(map[string]string, len(m))
	for s, v := range m {
		out[string(s)] = v.String()
	}
	return out
}

func viewLimits(acct order.AccountID, l account.Limits, set *adminstore.RiskLimits) limitsView {
	v := limitsView{
		AccountID: string(acct), MaxOrderNotional: l.MaxOrderNotional.String(), PriceCollarPct: l.PriceCollarPct.String(),
		MaxOpenOrders: l.MaxOpenOrders, MaxOrdersPerSec: l.MaxOrdersPerSec,
		MaxOrderQty: symbolStrings(l.MaxOrderQty), MaxPosition: symbolStrings(l.MaxPosition), Source: "DEFAULT",
	}
	if set != nil {
		v.Source, v.UpdatedAt, v.UpdatedBy = "SET", optTS(set.UpdatedAt), set.UpdatedBy
	}
	return v
}

func (h *Handler) accountArg(c *call) (order.AccountID, error) {
	if !ValidAccountID(c.arg) {
		return "", invalid("INVALID_ACCOUNT_ID", "accountId", "accountId must be 1-64 of A-Z a-z 0-9 _ -")
	}
	return order.AccountID(c.arg), nil
}

func (h *Handler) riskLimits(ctx context.Context, c *call) (int, any, error) {
	if err := noParams(c); err != nil {
		return 0, nil, err
	}
	acct, err := h.accountArg(c)
	if err != nil {
		return 0, nil, err
	}
	if err := h.knownAccount(ctx, acct); err != nil {
		return 0, nil, err
	}
	r, err := h.cfg.Store.RiskLimits(ctx, acct)
	if errors.Is(err, adminstore.ErrNotFound) {
		return http.StatusOK, viewLimits(acct, h.cfg.Defaults, nil), nil
	} else if err != nil {
		return 0, nil, storeErr(err)
	}
	return http.StatusOK, viewLimits(acct, r.Limits, &r), nil
}

func (h *Handler) setRiskLimits(ctx context.Context, c *call) (int, any, error) {
	if err := noParams(c); err != nil {
		return 0, nil, err
	}
	acct, err := h.accountArg(c)
	if err != nil {
		return 0, nil, err
	}
	l, err := ParseRiskLimits(c.req.Body, acct, h.cfg.Defaults, h.cfg.Catalog)
	if err != nil {
		return 0, nil, err
	}
	if err := h.knownAccount(ctx, acct); err != nil {
		return 0, nil, err
	}
	cmd := oms.Control{Kind: oms.ControlLimits, ID: newCommandID(), Scope: oms.ScopeAccount, Target: string(acct),
		Limits: oms.RiskLimits(l), Reason: "risk limits set through the admin API", By: c.key.ID, At: c.now.Truncate(time.Millisecond)}
	v := viewLimits(acct, l, nil)
	c.details["commandId"], c.details["maxOrderNotional"], c.details["priceCollarPct"] = cmd.ID, v.MaxOrderNotional, v.PriceCollarPct
	c.details["maxOpenOrders"], c.details["maxOrdersPerSec"] = strconv.Itoa(l.MaxOpenOrders), strconv.Itoa(l.MaxOrdersPerSec)
	for s, q := range v.MaxOrderQty {
		c.details["maxOrderQty."+s] = q
	}
	for s, q := range v.MaxPosition {
		c.details["maxPosition."+s] = q
	}
	if err := h.publish(ctx, cmd); err != nil {
		return 0, nil, err
	}
	rec := adminstore.RiskLimits{Account: acct, Limits: l, UpdatedAt: cmd.At, UpdatedBy: c.key.ID, CommandID: cmd.ID}
	if err := h.cfg.Store.PutRiskLimits(ctx, rec); err != nil {
		return 0, nil, unrecorded(cmd.ID, err)
	}
	return http.StatusOK, viewLimits(acct, l, &rec), nil
}

// keyView is ApiKey; Secret only in the answers to create and rotate.
type keyView struct {
	KeyID     string   `json:"keyId"`
	AccountID string   `json:"accountId"`
	Scopes    []string `json:"scopes"`
	Label     string   `json:"label"`
	Status    string   `json:"status"`
	CreatedAt string   `json:"createdAt"`
	CreatedBy string   `json:"createdBy"`
	RotatedAt string   `json:"rotatedAt,omitempty"`
	RevokedAt string   `json:"revokedAt,omitempty"`
	Secret    string   `json:"secret,omitempty"`
}

func viewKey(r keystore.Record) keyView {
	return keyView{KeyID: r.ID, AccountID: string(r.Account), Scopes: scopeNames(r.Scopes), Label: r.Label, Status: r.Status,
		CreatedAt: ts(r.CreatedAt), CreatedBy: r.CreatedBy, RotatedAt: optTS(r.RotatedAt), RevokedAt: optTS(r.RevokedAt)}
}

func keyErr(err error) error {
	switch {
	case errors.Is(err, keystore.ErrNotFound):
		return albapi.Errf(albapi.NotFound, "KEY_NOT_FOUND", "", "no such API key (keys from the bootstrap key file are not managed here)")
	case errors.Is(err, keystore.ErrRevoked):
		return albapi.Errf(albapi.Conflict, "KEY_REVOKED", "", "the key is revoked; create a new one")
	}
	return storeErr(err)
}

func (h *Handler) listKeys(ctx context.Context, c *call) (int, any, error) {
	p, err := albapi.QueryParams(c.req.Query, "accountId")
	if err != nil {
		return 0, nil, err
	}
	if a := p["accountId"]; a != "" && !ValidAccountID(a) {
		return 0, nil, invalid("INVALID_ACCOUNT_ID", "accountId", "accountId must be 1-64 of A-Z a-z 0-9 _ -")
	}
	rs, err := h.cfg.Keys.List(ctx, order.AccountID(p["accountId"]))
	if err != nil {
		return 0, nil, keyErr(err)
	}
	out := struct {
		Keys []keyView `json:"keys"`
	}{Keys: make([]keyView, 0, len(rs))}
	for _, r := range rs {
		out.Keys = append(out.Keys, viewKey(r))
	}
	return http.StatusOK, out, nil
}

func (h *Handler) createKey(ctx context.Context, c *call) (int, any, error) {
	if err := noParams(c); err != nil {
		return 0, nil, err
	}
	nk, err := ParseNewKey(c.req.Body)
	if err != nil {
		return 0, nil, err
	}
	c.details["accountId"], c.details["label"] = string(nk.Account), nk.Label
	for i, s := range nk.Scopes {
		if i > 0 {
			c.details["scopes"] += ","
		}
		c.details["scopes"] += string(s)
	}
	if err := h.knownAccount(ctx, nk.Account); err != nil {
		return 0, nil, err
	}
	r, secret, err := h.cfg.Keys.Create(ctx, keystore.NewKey{Account: nk.Account, Scopes: nk.Scopes, Label: nk.Label, By: c.key.ID, At: c.now})
	if err != nil {
		return 0, nil, keyErr(err)
	}
	c.target = r.ID
	v := viewKey(r)
	v.Secret = secret
	return http.StatusCreated, v, nil
}

func (h *Handler) keyArg(c *call) (string, error) {
	if len(c.arg) > 128 {
		return "", invalid("INVALID_KEY_ID", "keyId", "key ids are at most 128 characters")
	}
	return c.arg, nil
}

func (h *Handler) rotateKey(ctx context.Context, c *call) (int, any, error) {
	if err := noParams(c); err != nil {
		return 0, nil, err
	}
	id, err := h.keyArg(c)
	if err != nil {
		return 0, nil, err
	}
	r, secret, err := h.cfg.Keys.Rotate(ctx, id, c.key.ID, c.now)
	if err != nil {
		return 0, nil, keyErr(err)
	}
	c.details["accountId"] = string(r.Account)
	v := viewKey(r)
	v.Secret = secret
	return http.StatusOK, v, nil
}

func (h *Handler) revokeKey(ctx context.Context, c *call) (int, any, error) {
	if err := noParams(c); err != nil {
		return 0, nil, err
	}
	id, err := h.keyArg(c)
	if err != nil {
		return 0, nil, err
	}
	r, err := h.cfg.Keys.Revoke(ctx, id, c.key.ID, c.now)
	if err != nil {
		return 0, nil, keyErr(err)
	}
	c.details["accountId"] = string(r.Account)
	return http.StatusOK, viewKey(r), nil
}

type auditView struct {
	ID      string            `json:"id"`
	At      string            `json:"at"`
	By      string            `json:"by"`
	Action  string            `json:"action"`
	Target  string            `json:"target"`
	Result  string            `json:"result"`
	Details map[string]string `json:"details"`
}

func (h *Handler) audit(ctx context.Context, c *call) (int, any, error) {
	p, err := albapi.QueryParams(c.req.Query, "limit", "cursor", "action")
	if err != nil {
		return 0, nil, err
	}
	f := adminstore.AuditFilter{Cursor: p["cursor"], Action: p["action"]}
	if f.Action != "" && !contains(Actions, f.Action) {
		return 0, nil, invalid("INVALID_ACTION", "action", "action must be one of "+strings.Join(Actions, ", "))
	}
	if f.Limit, err = albapi.ParseLimit(p["limit"], 200); err != nil {
		return 0, nil, err
	}
	es, next, err := h.cfg.Store.Audit(ctx, f)
	if err != nil {
		return 0, nil, storeErr(err)
	}
	out := struct {
		Entries    []auditView `json:"entries"`
		NextCursor *string     `json:"nextCursor"`
	}{Entries: make([]auditView, 0, len(es))}
	for _, e := range es {
		out.Entries = append(out.Entries, auditView{ID: e.ID, At: ts(e.At), By: e.By, Action: e.Action, Target: e.Target, Result: e.Result, Details: e.Details})
	}
	if next != "" {
		out.NextCursor = &next
	}
	return http.StatusOK, out, nil
}
