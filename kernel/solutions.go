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

// solutionSet is the solution folder of one notebook: each function's
// source (with its doc comment), and the imports of the file it is in.
type solutionSet struct {
	dir     string
	funcs   map[string]string
	imports map[string][]string // function name -> import lines of its file
}

func solutionsDir(root, notebook string) string {
	return filepath.Join(root, "notebooks", "solutions", strings.TrimSuffix(filepath.Base(notebook), ".ipynb"))
}

func loadSolutions(dir string) (*solutionSet, error) {
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	s := &solutionSet{dir: dir, funcs: map[string]string{}, imports: map[string][]string{}}
	fset := token.NewFileSet()
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
			return nil, err
		}
		var imports []string
		for _, im := range f.Imports {
			line := "import " + im.Path.Value
			if im.Name != nil {
				line = "import " + im.Name.Name + " " + im.Path.Value
			}
			imports = append(imports, line)
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv != nil {
				continue
			}
			start := fd.Pos()
			if fd.Doc != nil {
				start = fd.Doc.Pos()
			}
			s.funcs[fd.Name.Name] = string(src[fset.Position(start).Offset:fset.Position(fd.End()).Offset])
			s.imports[fd.Name.Name] = imports
		}
	}
	return s, nil
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
		src, ok := s.funcs[n]
		if !ok {
			return "", fmt.Errorf("no solution for %s in %s", n, s.dir)
		}
		bodies = append(bodies, src)
		for _, im := range s.imports[n] {
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
