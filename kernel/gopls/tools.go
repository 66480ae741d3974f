//go:build tools

// Package gopls pins the gopls that `kernel setup` builds for GoNB's
// autocompletion and hover help. It is a module of its own because gopls
// v0.23.0 needs an older golang.org/x/tools than the one the course's
// goimports pins; its own go.mod keeps both versions as their authors tested
// them.
package gopls

import _ "golang.org/x/tools/gopls"
