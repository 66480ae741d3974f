package show

import (
	"strings"
	"testing"
)

const samplePkg = "mlx/show/testdata/codesample"

func TestSourceFindsEveryKindOfDeclaration(t *testing.T) {
	for _, tc := range []struct {
		name      string
		line      int
		first     string // the first line of Source
		contains  string
		notInside string // text of a neighbouring declaration that must not leak in
	}{
		{"Greeting", 6, "// Greeting says hello to name.", `return "hello, " + name`, "Counter"},
		{"Counter", 11, "// Counter counts.", "type Counter struct{ n int }", "Add"},
		{"Counter.Add", 14, "// Add adds k.", "c.n += k", "Stack"},
		{"Stack.Push", 20, "// Push pushes v.", "func (s *Stack[T]) Push(v T)", "Map"},
		{"Stack", 17, "// Stack is generic.", "type Stack[T any]", "Push"},
		{"Map", 23, "// Map applies f to each element.", "func Map[In, Out any]", "Sizes"},
		{"Large", 32, "// Sizes of things.", "Small = 1", "upper"},
		{"upper", 38, "var upper = strings.ToUpper", "ToUpper", "Large"},
	} {
		ds, err := Source(samplePkg, tc.name)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		d := ds[0]
		if d.File != samplePkg+"/sample.go" || d.Line != tc.line {
			t.Errorf("%s: at %s:%d, want %s/sample.go:%d", tc.name, d.File, d.Line, samplePkg, tc.line)
		}
		if first, _, _ := strings.Cut(d.Source, "\n"); first != tc.first {
			t.Errorf("%s: first line %q, want %q", tc.name, first, tc.first)
		}
		if !strings.Contains(d.Source, tc.contains) || strings.Contains(d.Source, tc.notInside) {
			t.Errorf("%s: source %q should contain %q and not %q", tc.name, d.Source, tc.contains, tc.notInside)
		}
	}
}

func TestSourceUnknownNameListsWhatExists(t *testing.T) {
	_, err := Source(samplePkg, "Greting")
	if err == nil {
		t.Fatal("no error for a name that does not exist")
	}
	for _, want := range []string{`"Greting"`, "Greeting", "Counter.Add", "Stack.Push", "Map", "Small"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %s", err, want)
		}
	}
	if _, err := Source("lessons/no-such-lesson", "X"); err == nil || !strings.Contains(err.Error(), "no-such-lesson") {
		t.Errorf("missing package: error %v should name the folder", err)
	}
	if _, err := Source(samplePkg); err == nil {
		t.Error("no names: want an error")
	}
}

func TestCodeHTMLHighlightsAndEscapes(t *testing.T) {
	h, err := CodeHTML(samplePkg, "Greeting", "Map")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"mlx/show/testdata/codesample/sample.go:6", // caption
		"mlx/show/testdata/codesample/sample.go:23",
		`<span style="` + codeColours["keyword"] + `">func</span>`,
		`<span style="` + codeColours["decl"] + `">Greeting</span>`,
		`<span style="` + codeColours["type"] + `">string</span>`,
		`<span style="` + codeColours["string"] + `">&#34;hello, &#34;</span>`,
		`<span style="` + codeColours["comment"] + `">// a comment &amp; &lt;markup&gt;</span>`,
		`<span style="` + codeColours["type"] + `">make</span>`,
	} {
		if !strings.Contains(h, want) {
			t.Errorf("HTML lacks %s", want)
		}
	}
	if strings.Contains(h, "<markup>") {
		t.Error("source text is not escaped")
	}
}

func TestHighlightGoKeepsTheText(t *testing.T) {
	src := "func (s *Stack[T]) Push(v T) {\n\ts.items = append(s.items, v) // ok\n\tx := `raw\nstring` + \"a\\\"b\" + 'c'\n}\n"
	h := HighlightGo(src)
	// Removing the tags and unescaping must give back the source exactly.
	var plain strings.Builder
	inTag := false
	for _, r := range h {
		switch {
		case r == '<':
			inTag = true
		case r == '>':
			inTag = false
		case !inTag:
			plain.WriteRune(r)
		}
	}
	got := strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&", "&#34;", `"`, "&#39;", "'").Replace(plain.String())
	if got != src {
		t.Errorf("text changed:\n%q\nwant\n%q", got, src)
	}
	if !strings.Contains(h, `<span style="`+codeColours["decl"]+`">Push</span>`) {
		t.Error("method name not highlighted")
	}
}
