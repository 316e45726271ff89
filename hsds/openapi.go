package hsds

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// The official HSDS 3.0 files the API serves and validates with (see hsds3/NOTICE.md).
var (
	//go:embed hsds3/openapi.json
	openapiJSON []byte
	//go:embed hsds3/compiled/service_with_definitions.json
	serviceSchemaJSON []byte
)

// openapi answers /hsds/openapi.json: the official HSDS 3.0 OpenAPI description, with this API's
// title, licence and server filled in.
func (h *Handler) openapi(w http.ResponseWriter, r *http.Request) {
	req, err := h.begin(r)
	if err != nil {
		h.cfg.WriteError(w, r, err)
		return
	}
	var doc map[string]any
	if err := json.Unmarshal(openapiJSON, &doc); err != nil {
		h.cfg.WriteError(w, r, fmt.Errorf("read the embedded openapi.json: %w", err))
		return
	}
	doc["info"] = map[string]any{
		"title":       "Partnerskap Skåne – activity directory (HSDS 3.0)",
		"version":     Version,
		"summary":     "The published activities of the Partnership Skåne network as Open Referral HSDS 3.0 services.",
		"description": "Services are activities; organizations the network's partners; programs its methods. Texts in Swedish or English (lang, Accept-Language). Human Services Data Specification: an Open Referral resource (https://openreferral.org/), CC BY-SA 4.0.",
		"license":     map[string]any{"name": "CC BY-SA 4.0", "url": "https://creativecommons.org/licenses/by-sa/4.0/"},
	}
	doc["servers"] = []any{map[string]any{"url": baseURL(r) + "/hsds"}}
	h.write(w, r, req, doc, time.Time{})
}

// pushValidator validates pushed services against the official compiled service schema.
type pushValidator struct {
	schema *jsonschema.Schema
}

// serviceSchemaURL names the embedded compiled service schema for the compiler.
const serviceSchemaURL = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/compiled/service.json"

// newPushValidator compiles the service schema, asserting formats (uuid, email, uri, date-time).
func newPushValidator() (*pushValidator, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(serviceSchemaJSON))
	if err != nil {
		return nil, fmt.Errorf("read the service schema: %w", err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(serviceSchemaURL, doc); err != nil {
		return nil, fmt.Errorf("add the service schema: %w", err)
	}
	s, err := c.Compile(serviceSchemaURL)
	if err != nil {
		return nil, fmt.Errorf("compile the service schema: %w", err)
	}
	return &pushValidator{schema: s}, nil
}

// maxSchemaErrors bounds the schema errors reported for one row.
const maxSchemaErrors = 20

// validate checks one pushed service against the schema, returning its refusals, each naming
// the field (the JSON pointer's tokens joined with dots, under prefix).
func (v *pushValidator) validate(prefix string, doc any) []RowError {
	err := v.schema.Validate(doc)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return []RowError{{Code: "BAD_USER_INPUT", Field: prefix, Message: err.Error()}}
	}
	var out []RowError
	printer := message.NewPrinter(language.English)
	var leaves func(e *jsonschema.ValidationError)
	leaves = func(e *jsonschema.ValidationError) {
		if len(e.Causes) > 0 {
			for _, c := range e.Causes {
				leaves(c)
			}
			return
		}
		if len(out) == maxSchemaErrors {
			return
		}
		field := prefix
		if len(e.InstanceLocation) > 0 {
			field += "." + strings.Join(e.InstanceLocation, ".")
		}
		out = append(out, RowError{Code: "BAD_USER_INPUT", Field: field, Message: "HSDS 3.0: " + e.ErrorKind.LocalizedString(printer)})
	}
	leaves(ve)
	if len(out) == 0 {
		out = append(out, RowError{Code: "BAD_USER_INPUT", Field: prefix, Message: "HSDS 3.0: " + ve.Error()})
	}
	return out
}
