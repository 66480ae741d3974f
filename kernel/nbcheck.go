package main

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/baeum-go/baeum/mlx"
)

// notebook is the part of the .ipynb format (nbformat 4) the checker reads.
type notebook struct {
	Cells []struct {
		CellType       string          `json:"cell_type"`
		Source         json.RawMessage `json:"source"`
		ExecutionCount *int            `json:"execution_count"`
		Outputs        []struct {
			OutputType string                     `json:"output_type"`
			Name       string                     `json:"name"`
			Text       json.RawMessage            `json:"text"`
			Data       map[string]json.RawMessage `json:"data"`
			EName      string                     `json:"ename"`
			EValue     string                     `json:"evalue"`
		} `json:"outputs"`
	} `json:"cells"`
}

// verdict is what the checker found in an executed notebook.
type verdict struct {
	Backend    string   // from the "backend: ..." line
	Passed     []string // check cells that passed
	Right      []string // "your turn" exercises answered right
	NotWritten []string // "your turn" exercises still holding their placeholder
	Problems   []string // errors and failed checks; empty means the notebook passed
}

func (v verdict) OK() bool { return len(v.Problems) == 0 }

var backendLineRE = regexp.MustCompile(`(?m)^backend: (\S+)`)

// checkNotebook reads an executed notebook and fails it on any error output,
// any failed check, or the absence of a passed check.
func checkNotebook(path string) (verdict, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return verdict{}, err
	}
	var nb notebook
	if err := json.Unmarshal(b, &nb); err != nil {
		return verdict{}, fmt.Errorf("%s is not a notebook: %v", path, err)
	}
	var v verdict
	for i, c := range nb.Cells {
		showsCode := c.CellType == "code" && strings.Contains(joinSource(c.Source), "show.Code(")
		codeShown := false
		for _, o := range c.Outputs {
			text := joinSource(o.Text)
			for mime, d := range o.Data {
				if strings.HasPrefix(mime, "text/") {
					text += "\n" + joinSource(d)
				}
			}
			if o.OutputType == "error" {
				v.Problems = append(v.Problems, fmt.Sprintf("cell %d: error %s: %s", i+1, o.EName, firstLine(o.EValue)))
			}
			if strings.Contains(text, `class="baeum-code"`) {
				codeShown = true
			}
			if m := backendLineRE.FindStringSubmatch(text); m != nil && v.Backend == "" {
				v.Backend = m[1]
			}
			for _, line := range strings.Split(text, "\n") {
				for _, say := range mlx.AllPhrases {
					if _, after, ok := strings.Cut(line, say.CheckFailed); ok {
						v.Problems = append(v.Problems, fmt.Sprintf("cell %d: check failed: %s", i+1, after))
					}
					if _, after, ok := strings.Cut(line, say.ExerciseWrong); ok {
						v.Problems = append(v.Problems, fmt.Sprintf("cell %d: exercise wrong: %s", i+1, after))
					}
					if _, after, ok := strings.Cut(line, say.CheckPassed); ok {
						v.Passed = append(v.Passed, after)
					}
					if _, after, ok := strings.Cut(line, say.ExerciseRight); ok {
						v.Right = append(v.Right, after)
					}
					if _, after, ok := strings.Cut(line, say.ExerciseTodo); ok {
						v.NotWritten = append(v.NotWritten, after)
					}
				}
			}
		}
		if showsCode && !codeShown && c.ExecutionCount != nil {
			v.Problems = append(v.Problems, fmt.Sprintf("cell %d: show.Code displayed no code", i+1))
		}
	}
	if len(v.Passed) == 0 && len(v.Problems) == 0 {
		v.Problems = append(v.Problems, "no check cell passed (every lesson ends with one)")
	}
	return v, nil
}

// joinSource reads nbformat's multiline strings: a string or a list of strings.
func joinSource(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var parts []string
	if json.Unmarshal(raw, &parts) == nil {
		return strings.Join(parts, "")
	}
	return ""
}

// codeCells returns the sources of a notebook's code cells.
func codeCells(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var nb notebook
	if err := json.Unmarshal(b, &nb); err != nil {
		return nil, fmt.Errorf("%s is not a notebook: %v", path, err)
	}
	var out []string
	for _, c := range nb.Cells {
		if c.CellType == "code" {
			out = append(out, joinSource(c.Source))
		}
	}
	return out, nil
}
