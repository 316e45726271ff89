package partnernet

import (
	"errors"
	"fmt"
)

// Code classifies an [Error]. Codes are stable: clients read them from a GraphQL error's
// extensions.code, so a code, once released, keeps its meaning.
type Code string

// The error codes of the API.
const (
	// CodeBadUserInput: the request's arguments are invalid.
	CodeBadUserInput Code = "BAD_USER_INPUT"
	// CodeNotFound: the addressed object does not exist or is not visible to the caller.
	CodeNotFound Code = "NOT_FOUND"
	// CodeConflict: the write conflicts with existing data (a duplicate, a stale state).
	CodeConflict Code = "CONFLICT"
	// CodeUnauthenticated: the request needs credentials it does not carry.
	CodeUnauthenticated Code = "UNAUTHENTICATED"
	// CodeForbidden: the caller is known but not allowed to do or see this.
	CodeForbidden Code = "FORBIDDEN"
	// CodeConsentRequired: the caller's role may see this newcomer data for the declared purpose,
	// but no active consent (nor another lawful basis) covers the caller's organisation.
	CodeConsentRequired Code = "CONSENT_REQUIRED"
	// CodeUnavailable: a dependency (the database) is unreachable; the request may be retried.
	CodeUnavailable Code = "UNAVAILABLE"
	// CodeInternal: anything else. Its details are logged, never shown.
	CodeInternal Code = "INTERNAL_SERVER_ERROR"
)

// Error is an error that is safe to show to a client: a [Code] and a message written for the
// caller. Field, when set, is the path of the offending input (for instance "filter.kinds").
type Error struct {
	Code    Code
	Message string
	Field   string
}

// Error implements the error interface.
func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s (%s)", e.Code, e.Message, e.Field)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Is reports whether target is an *Error of the same code, so that errors.Is(err, ErrNotFound)
// holds for every not-found error, whatever its message.
func (e *Error) Is(target error) bool {
	var t *Error
	if !errors.As(target, &t) {
		return false
	}
	return t.Code == e.Code && t.Message == "" && t.Field == ""
}

// Sentinels for errors.Is; each matches every [Error] of its code.
var (
	ErrBadUserInput    = &Error{Code: CodeBadUserInput}
	ErrNotFound        = &Error{Code: CodeNotFound}
	ErrConflict        = &Error{Code: CodeConflict}
	ErrUnauthenticated = &Error{Code: CodeUnauthenticated}
	ErrForbidden       = &Error{Code: CodeForbidden}
	ErrConsentRequired = &Error{Code: CodeConsentRequired}
	ErrUnavailable     = &Error{Code: CodeUnavailable}
)

// Errorf returns an [Error] with the given code and a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// InputError returns a BAD_USER_INPUT [Error] about the input at path field.
func InputError(field, format string, args ...any) *Error {
	return &Error{Code: CodeBadUserInput, Message: fmt.Sprintf(format, args...), Field: field}
}

// ErrorCode returns the code of the first [Error] in err's chain, or CodeInternal when there is
// none.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// asError returns the first [Error] in err's chain.
func asError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
