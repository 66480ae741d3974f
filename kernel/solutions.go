package main

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/baeum-go/baeum/mlx"
	"github.com/baeum-go/baeum/mlx/show"
)

// A "your turn" cell is a code cell that declares the function(s) the
// learner writes, whose bodies start as `panic(mlx.TODO)`. Its solution is
// in notebooks/solutions/<notebook>/: Go files (compiled by `go vet ./...`
// like any package) declaring functions of the same names. `kernel test
// --solutions` runs each notebook with its exercise cells replaced by them.

const todoMarker = "mlx.TODO"

// isExerciseCell tells a "your turn" cell by its placeholder.
func isExerciseCell(src string) bool { return strings.Contains(src, todoMarker) }

// cellFuncs lists the functions a cell declares (a cell of declarations
// only, as exercise cells are).
func cellFuncs(src string) ([]string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), "cell.go", "package main\n"+src, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok {
			names = append(names, fd.Name.Name)
		}
	}
	return names, nil
}

// solutionSet is the solution folder of one notebook: its declarations
// (with their doc comments and their files' imports), by name.
type solutionSet struct {
	dir   string
	decls map[string]show.Decl
}

func solutionsDir(root, notebook string) string {
	return filepath.Join(root, "notebooks", "solutions", strings.TrimSuffix(filepath.Base(notebook), ".ipynb"))
}

func loadSolutions(dir string) (*solutionSet, error) {
	decls, err := show.ParseDir(filepath.Dir(dir), filepath.Base(dir))
	if err != nil {
		return nil, fmt.Errorf("solutions: %v", err)
	}
	return &solutionSet{dir: dir, decls: decls}, nil
}

// fill returns the cell with its functions replaced by their solutions,
// the solution files' imports first.
func (s *solutionSet) fill(cell string) (string, error) {
	names, err := cellFuncs(cell)
	if err != nil {
		return "", fmt.Errorf("exercise cell does not parse: %v", err)
	}
	if len(names) == 0 {
		return "", fmt.Errorf("exercise cell declares no function:\n%s", cell)
	}
	imports := map[string]bool{}
	var bodies []string
	for _, n := range names {
		d, ok := s.decls[n]
		if !ok {
			return "", fmt.Errorf("no solution for %s in %s", n, s.dir)
		}
		bodies = append(bodies, d.Source)
		for _, im := range d.Imports {
			imports[im] = true
		}
	}
	lines := make([]string, 0, len(imports))
	for im := range imports {
		lines = append(lines, im)
	}
	sort.Strings(lines)
	out := strings.Join(lines, "\n")
	if out != "" {
		out += "\n\n"
	}
	return out + strings.Join(bodies, "\n\n"), nil
}

// withSolutions writes to dst a copy of the notebook src whose exercise
// cells hold their solutions, and returns how many cells it filled.
func withSolutions(root, src, dst string) (int, error) {
	b, err := os.ReadFile(src)
	if err != nil {
		return 0, err
	}
	var nb map[string]any
	if err := json.Unmarshal(b, &nb); err != nil {
		return 0, fmt.Errorf("%s is not a notebook: %v", src, err)
	}
	sols, err := loadSolutions(solutionsDir(root, src))
	if err != nil {
		return 0, err
	}
	cells, _ := nb["cells"].([]any)
	filled := 0
	for i, c := range cells {
		cell, _ := c.(map[string]any)
		if cell["cell_type"] != "code" {
			continue
		}
		raw, _ := json.Marshal(cell["source"])
		source := joinSource(raw)
		if !isExerciseCell(source) {
			continue
		}
		newSrc, err := sols.fill(source)
		if err != nil {
			return 0, fmt.Errorf("%s cell %d: %v", filepath.Base(src), i+1, err)
		}
		cell["source"] = newSrc
		filled++
	}
	out, err := json.MarshalIndent(nb, "", " ")
	if err != nil {
		return 0, err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return 0, err
	}
	return filled, mlx.WriteFileAtomic(dst, out)
}
