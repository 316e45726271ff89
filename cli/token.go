package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/partnerskap-skane/partnernet/authn"
	"github.com/partnerskap-skane/partnernet/authz"
)

// maxTokenTTL bounds how long a minted token may live.
const maxTokenTTL = 30 * 24 * time.Hour

// runToken mints a token signed with the local key, for development and scripts: the same key
// dev mode keeps in its data folder, or --signing-key.
func runToken(_ context.Context, a *App, args []string) error {
	fs := a.flagSet("token", "token --org SLUG --role ROLE [--subject S] [--newcomer ID] [--ttl 8h]")
	org := fs.String("org", "", "slug of the organisation the token acts for, such as malmo or abf")
	role := fs.String("role", "", "role: network_admin, org_admin, coordinator, communicator, supervisor, adviser, publisher, analyst or newcomer")
	subject := fs.String("subject", "", `subject of the token; "dev:<role>@<org>" by default`)
	newcomer := fs.Int64("newcomer", 0, "for --role newcomer: the newcomer's id (the number in their record)")
	ttl := fs.Duration("ttl", 8*time.Hour, "how long the token is valid (at most 720h)")
	dataDir := fs.String("data-dir", a.envString("PARTNERNET_DATA_DIR", ".data"),
		"dev mode's data folder, whose signing key is used unless --signing-key is given [PARTNERNET_DATA_DIR]")
	keyFile := fs.String("signing-key", a.envString("PARTNERNET_SIGNING_KEY", ""),
		"JWK file of the signing key [PARTNERNET_SIGNING_KEY]")
	issuer := fs.String("issuer", a.envString("PARTNERNET_ISSUER", authn.DefaultIssuer), "issuer (iss) [PARTNERNET_ISSUER]")
	audience := fs.String("audience", a.envString("PARTNERNET_AUDIENCE", authn.DefaultAudience), "audience (aud) [PARTNERNET_AUDIENCE]")
	if err := parse(fs, args); err != nil {
		return err
	}
	r, err := authz.ParseRole(*role)
	if err != nil {
		return fmt.Errorf("--role: %w", err)
	}
	switch {
	case r == authz.RoleNewcomer && *newcomer <= 0:
		return errors.New("--role newcomer needs --newcomer ID")
	case r != authz.RoleNewcomer && *org == "":
		return errors.New("--org is required")
	case *ttl <= 0 || *ttl > maxTokenTTL:
		return fmt.Errorf("--ttl must be between 1s and %s", maxTokenTTL)
	}
	if *subject == "" {
		*subject = fmt.Sprintf("dev:%s@%s", r, *org)
		if r == authz.RoleNewcomer {
			*subject = fmt.Sprintf("dev:newcomer:%d", *newcomer)
		}
	}
	path := *keyFile
	if path == "" {
		path = DevKeyFile(*dataDir)
	}
	key, err := authn.LoadKey(path)
	if err != nil {
		return fmt.Errorf("%w (start 'partnernet dev' once to create the dev key, or pass --signing-key)", err)
	}
	token, err := authn.Mint(key, *issuer, *audience, authn.Claims{
		Subject: *subject, Organisation: *org, Roles: []string{string(r)}, NewcomerID: *newcomer, TTL: *ttl,
	})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(a.Stdout, token)
	return err
}
