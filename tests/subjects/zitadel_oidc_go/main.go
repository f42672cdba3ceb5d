// Glue: a small API of the shape of ZITADEL's Go guide (/api/healthz, /api/tasks,
// /api/add-task with a role), checking tokens by introspection with the JWT profile through
// github.com/zitadel/oidc/v3's resource server, the library zitadel-go's introspection is built
// on (zitadel-go itself is not served by the Go module proxy here). The decisions follow
// zitadel-go v3.29.0's authorization.Authorizer and its net/http RequireAuthorization, read
// there and written anew: the header, trimmed, must start with "Bearer "; an introspection
// error whose text names a 5xx status is "service unavailable", which that middleware answers
// 403 (it maps only unauthorized errors to 401); any other failure or an inactive token is
// 401; a missing role is 403; the error's text is the plain body.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"os"
	"regexp"
	"strings"

	"github.com/zitadel/oidc/v3/pkg/client/rs"
	"github.com/zitadel/oidc/v3/pkg/oidc"
)

const rolesClaim = "urn:zitadel:iam:org:project:roles"

// An error text naming a 5xx status marks the issuer as failing, as zitadel-go decides it.
var serverError = regexp.MustCompile(`\b5\d{2}\b`)

func main() {
	ctx := context.Background()
	server, err := rs.NewResourceServerFromKeyFile(ctx, os.Getenv("ISSUER"), os.Getenv("KEY_FILE"))
	if err != nil {
		log.Fatalf("resource server: %v", err)
	}
	role := os.Getenv("ROLE")
	mux := http.NewServeMux()
	mux.HandleFunc("/api/healthz", func(w http.ResponseWriter, r *http.Request) {
		reply(w, map[string]string{"status": "ok"})
	})
	mux.Handle("/api/tasks", authorized(server, "", func(w http.ResponseWriter, r *http.Request) {
		reply(w, map[string][]string{"tasks": {"write the subject file"}})
	}))
	mux.Handle("/api/add-task", authorized(server, role, func(w http.ResponseWriter, r *http.Request) {
		reply(w, map[string]string{"added": "a task"})
	}))
	addr := "127.0.0.1:" + os.Getenv("PORT")
	log.Printf("listening on %s", addr)
	log.Fatal(http.ListenAndServe(addr, mux))
}

func authorized(server rs.ResourceServer, role string, next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, found := strings.CutPrefix(strings.TrimSpace(r.Header.Get("Authorization")), "Bearer ")
		token = strings.TrimSpace(token)
		if !found || token == "" {
			http.Error(w, "unauthorized: no bearer token", http.StatusUnauthorized)
			return
		}
		resp, err := rs.Introspect[*oidc.IntrospectionResponse](r.Context(), server, token)
		if err != nil {
			if serverError.MatchString(err.Error()) {
				http.Error(w, fmt.Sprintf("service unavailable: %v", err), http.StatusForbidden)
				return
			}
			http.Error(w, fmt.Sprintf("unauthorized: %v", err), http.StatusUnauthorized)
			return
		}
		if !resp.Active {
			http.Error(w, "unauthorized: token is not active", http.StatusUnauthorized)
			return
		}
		if role != "" && !hasRole(resp.Claims[rolesClaim], role) {
			http.Error(w, "permission denied: missing role "+role, http.StatusForbidden)
			return
		}
		next(w, r)
	})
}

func hasRole(claim any, role string) bool {
	roles, ok := claim.(map[string]any)
	if !ok {
		return false
	}
	_, found := roles[role]
	return found
}

func reply(w http.ResponseWriter, body any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(body)
}
