package gateway

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
)

// Kind classifies an error for the transports. The set is closed: every error maps to one.
type Kind uint8

// Kinds.
const (
	KindInternal Kind = iota
	KindInvalid
	KindUnauthenticated
	KindForbidden
	KindNotFound
	KindConflict
	KindMismatch
	KindUnavailable
	KindTooLarge
	KindMethod
)

// Error is a public error: a stable code, a human message and, for validation, the field.
type Error struct {
	Kind  Kind
	Code  string
	Msg   string
	Field string
	Err   error // cause, logged only
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Code + ": " + e.Msg + ": " + e.Err.Error()
	}
	return e.Code + ": " + e.Msg
}

func (e *Error) Unwrap() error { return e.Err }

func errf(kind Kind, code, field, msg string) *Error {
	return &Error{Kind: kind, Code: code, Field: field, Msg: msg}
}

var kindStatus = map[Kind]int{
	KindInternal:        http.StatusInternalServerError,
	KindInvalid:         http.StatusBadRequest,
	KindUnauthenticated: http.StatusUnauthorized,
	KindForbidden:       http.StatusForbidden,
	KindNotFound:        http.StatusNotFound,
	KindConflict:        http.StatusConflict,
	KindMismatch:        http.StatusUnprocessableEntity,
	KindUnavailable:     http.StatusServiceUnavailable,
	KindTooLarge:        http.StatusRequestEntityTooLarge,
	KindMethod:          http.StatusMethodNotAllowed,
}

type errorBody struct {
	Code  string `json:"code"`
	Msg   string `json:"msg"`
	Field string `json:"field,omitempty"`
}

// writeError is the one place errors become HTTP responses. Unknown errors get a generic message; the
// detail goes to the log only.
func writeError(w http.ResponseWriter, log *slog.Logger, err error) {
	var e *Error
	if !errors.As(err, &e) {
		log.Error("internal error", "err", err)
		e = &Error{Kind: KindInternal, Code: "INTERNAL", Msg: "internal error"}
	} else if e.Kind == KindInternal || e.Kind == KindUnavailable {
		log.Warn("request failed", "code", e.Code, "err", e)
	}
	if e.Kind == KindUnavailable {
		w.Header().Set("Retry-After", "1")
	}
	if sw, ok := w.(*statusWriter); ok {
		sw.code = e.Code
	}
	writeJSON(w, kindStatus[e.Kind], errorBody{Code: e.Code, Msg: e.Msg, Field: e.Field})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"code":"INTERNAL","msg":"internal error"}`)
	}
	writeRaw(w, status, b)
}

func writeRaw(w http.ResponseWriter, status int, b []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}
