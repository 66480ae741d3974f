package show

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
)

// Decl is the source of one declaration of this repository, as it is in the
// checked-out file right now.
type Decl struct {
	Name   string // as asked: "Func", "Type", "Type.Method", or a name in a const/var block
	File   string // path from the repository root, e.g. "lessons/attention/steps.go"
	Line   int    // first line (of its doc comment, if any)
	Source string // the declaration with its doc comment
	// Imports are the import declarations of its file ("import \"strings\""),
	// what a copy of Source pasted elsewhere needs.
	Imports []string
}

// Code displays the source of the named declarations of one of this
// repository's packages (pkg is its folder from the repository root, e.g.
// "lessons/attention"), syntax-highlighted, each under its file and line.
// Names are "Func", "Type", "Type.Method" (with or without the receiver's
// type parameters), or any name of a const or var block (the whole block is
// shown). The code is read from the checked-out files when the cell runs, so
// what the learner reads is what runs. A name that does not exist panics with
// the list of names that do. Outside a notebook it does nothing.
//
//	show.Code("lessons/attention", "ScaledDotProduct", "MultiHead.Forward")
func Code(pkg string, names ...string) {
	if !InNotebook() {
		return
	}
	h, err := CodeHTML(pkg, names...)
	if err != nil {
		panic(err)
	}
	HTML(h)
}

// CodeHTML builds the HTML of Code.
func CodeHTML(pkg string, names ...string) (string, error) {
	decls, err := Source(pkg, names...)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, d := range decls {
		b.WriteString(declHTML(d))
	}
	return b.String(), nil
}

// Source finds the named declarations of package folder pkg (see Code).
func Source(pkg string, names ...string) ([]Decl, error) {
	if len(names) == 0 {
		return nil, fmt.Errorf("show.Code(%q): name at least one declaration", pkg)
	}
	root, err := repoRoot()
	if err != nil {
		return nil, err
	}
	all, err := ParseDir(root, pkg)
	if err != nil {
		return nil, err
	}
	out := make([]Decl, 0, len(names))
	for _, name := range names {
		d, ok := all[name]
		if !ok {
			return nil, fmt.Errorf("show.Code: package %s has no declaration %q; it has: %s", pkg, name, strings.Join(sortedKeys(all), ", "))
		}
		out = append(out, d)
	}
	return out, nil
}

// ParseDir reads every non-test Go file of the folder pkg below root and
// indexes its top-level declarations by the names Code accepts.
func ParseDir(root, pkg string) (map[string]Decl, error) {
	dir := filepath.Join(root, filepath.FromSlash(pkg))
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	all := map[string]Decl{}
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		f, err := parser.ParseFile(fset, path, src, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return nil, fmt.Errorf("show.Code: %v", err)
		}
		rel := filepath.ToSlash(filepath.Join(pkg, filepath.Base(path)))
		var imports []string
		for _, im := range f.Imports {
			if im.Name != nil {
				imports = append(imports, "import "+im.Name.Name+" "+im.Path.Value)
			} else {
				imports = append(imports, "import "+im.Path.Value)
			}
		}
		for _, decl := range f.Decls {
			start := decl.Pos()
			var names []string
			switch d := decl.(type) {
			case *ast.FuncDecl:
				if d.Doc != nil {
					start = d.Doc.Pos()
				}
				names = append(names, funcNames(d)...)
			case *ast.GenDecl:
				if d.Doc != nil {
					start = d.Doc.Pos()
				}
				names = specNames(d)
			}
			from, to := fset.Position(start).Offset, fset.Position(decl.End()).Offset
			for _, n := range names {
				all[n] = Decl{Name: n, File: rel, Line: fset.Position(start).Line, Source: string(src[from:to]), Imports: imports}
			}
		}
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("no Go declarations in %s (a package folder from the repository root, like \"lessons/attention\")", dir)
	}
	return all, nil
}

// funcNames: "F" for a function; "T.M" for a method (receiver *T or T[K]).
func funcNames(d *ast.FuncDecl) []string {
	if d.Recv == nil || len(d.Recv.List) == 0 {
		return []string{d.Name.Name}
	}
	t := d.Recv.List[0].Type
	if s, ok := t.(*ast.StarExpr); ok {
		t = s.X
	}
	switch g := t.(type) {
	case *ast.IndexExpr:
		t = g.X
	case *ast.IndexListExpr:
		t = g.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return []string{id.Name + "." + d.Name.Name}
	}
	return nil
}

// specNames lists the names a type, const or var declaration defines.
func specNames(d *ast.GenDecl) []string {
	var names []string
	for _, s := range d.Specs {
		switch s := s.(type) {
		case *ast.TypeSpec:
			names = append(names, s.Name.Name)
		case *ast.ValueSpec:
			for _, n := range s.Names {
				if n.Name != "_" {
					names = append(names, n.Name)
				}
			}
		}
	}
	return names
}

const modulePath = "github.com/baeum-go/baeum"

// repoRoot finds the checkout this program was built from: the folder two
// levels above this file when the build kept source paths (notebooks and
// tests do), else the nearest folder above the working directory or the
// notebook's folder whose go.mod declares this module.
func repoRoot() (string, error) {
	var tried []string
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		tried = append(tried, filepath.Join(filepath.Dir(file), "..", ".."))
	}
	for _, start := range []string{os.Getenv("GONB_DIR"), "."} {
		if start == "" {
			continue
		}
		dir, err := filepath.Abs(start)
		if err != nil {
			continue
		}
		for ; ; dir = filepath.Dir(dir) {
			tried = append(tried, dir)
			if filepath.Dir(dir) == dir {
				break
			}
		}
	}
	for _, dir := range tried {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && strings.Contains(string(b), "module "+modulePath+"\n") {
			return filepath.Clean(dir), nil
		}
	}
	return "", errors.New("show.Code: cannot find the Baeum repository (a go.mod of module " + modulePath + ") above the notebook or the working directory")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
