package retrieval

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/baeum-go/baeum/lessons/corpus"
	"github.com/baeum-go/baeum/mlx"
)

// needFAQ skips a test that reads the data sets where they have no local copy
// (BAEUM_DATA, or the cache that `go run ./kernel data` fills).
func needFAQ(t testing.TB) {
	t.Helper()
	if err := mlx.MissingData(); err != nil {
		t.Skip(err)
	}
}

// A chapter in the FAQ's DocBook shape: opening text, a section with its
// own text and a subsection, and a heading-only section over a subsection.
const toyChapter = `<html><body><div class="navheader">Prev Next</div>
<div class="chapter"><div class="titlepage"><h1 class="title"><a id="toy"></a>Chapter 9. Toys</h1></div>
<div class="toc"><p>Table of Contents</p></div>
<p>Opening words.</p>
<div class="section"><div class="titlepage"><h2 class="title"><a id="ball"></a>9.1. What is a &lt;ball&gt;?</h2></div>
<p>A round <code>toy</code>.</p>
<div class="section"><div class="titlepage"><h3 class="title"><a id="red"></a>9.1.1. Red balls</h3></div><p>They are red.</p></div>
</div>
<div class="section"><div class="titlepage"><h2 class="title"><a id="other"></a>9.2. Other toys</h2></div>
<div class="section"><div class="titlepage"><h3 class="title"><a id="kite"></a>9.2.1. Kites</h3></div><ul><li>fly</li><li>fall</li></ul></div>
</div>
</div><div class="navfooter">Home</div></body></html>`

func TestPagePassages(t *testing.T) {
	got, err := pagePassages([]byte(toyChapter), "toys", "en")
	if err != nil {
		t.Fatal(err)
	}
	want := []Passage{
		{ID: "toys", Title: "Chapter 9. Toys", Text: "Opening words.", Lang: "en"},
		{ID: "toys#ball", Number: "9.1", Title: "What is a <ball>?", Text: "A round toy.", Lang: "en"},
		{ID: "toys#red", Number: "9.1.1", Title: "Red balls", Text: "They are red.", Lang: "en"},
		// 9.2 has no text of its own and is left out.
		{ID: "toys#kite", Number: "9.2.1", Title: "Kites", Text: "- fly\n- fall", Lang: "en"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("pagePassages:\n got %+v\nwant %+v", got, want)
	}
	if _, err := pagePassages([]byte("<p>no chapter here</p>"), "x", "en"); err == nil {
		t.Error("a page without <div class=\"chapter\"> gave no error")
	}
}

func TestSplit(t *testing.T) {
	para := strings.TrimSpace(strings.Repeat("word ", 300))
	p := Passage{ID: "a#b", Title: "T", Text: para + "\n\n" + para + "\n\n" + para}
	parts := splitLong(p)
	if len(parts) != 3 {
		t.Fatalf("900 words in 3 paragraphs: %d parts, want 3", len(parts))
	}
	for i, q := range parts {
		if q.ID != "a#b" || q.Title != "T" || q.Part != i+1 || q.Text != para {
			t.Errorf("part %d = {%q %q part %d, %d words}, want {a#b T part %d, 300 words}",
				i, q.ID, q.Title, q.Part, len(strings.Fields(q.Text)), i+1)
		}
	}
	// One paragraph longer than SplitWords cannot be cut at a paragraph
	// boundary and stays whole; a short passage is returned as it is.
	long := Passage{Text: strings.Repeat("w ", SplitWords+50)}
	if got := splitLong(long); len(got) != 1 || got[0].Part != 0 {
		t.Errorf("one long paragraph: %d parts (Part %d), want 1 (Part 0)", len(got), got[0].Part)
	}
	short := Passage{Text: "short"}
	if got := splitLong(short); len(got) != 1 || got[0] != short {
		t.Errorf("short passage changed: %+v", got)
	}
}

func TestSplitNumber(t *testing.T) {
	for in, want := range map[string][2]string{
		"3.1.2. Will there be ...?": {"3.1.2", "Will there be ...?"},
		"1.1. 이 FAQ는 무엇인가요?":        {"1.1", "이 FAQ는 무엇인가요?"},
		"Chapter 3. Choosing":       {"", "Chapter 3. Choosing"},
		"dpkg":                      {"", "dpkg"},
	} {
		if n, title := splitNumber(in); n != want[0] || title != want[1] {
			t.Errorf("splitNumber(%q) = %q, %q; want %q, %q", in, n, title, want[0], want[1])
		}
	}
}

// TestPassages checks the FAQ's passages in both languages: the counts, the
// same section IDs in English and Korean, unique parts, no markup or
// navigation left, and one passage read closely.
func TestPassages(t *testing.T) {
	needFAQ(t)
	sections := map[string][]string{}
	for lang, wantPassages := range map[string]int{"en": 165, "ko": 161} {
		ps, err := Passages(lang)
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) != wantPassages {
			t.Errorf("%s: %d passages, want %d", lang, len(ps), wantPassages)
		}
		seen := map[[2]any]bool{}
		for _, p := range ps {
			key := [2]any{p.ID, p.Part}
			if seen[key] {
				t.Errorf("%s: %s part %d twice", lang, p.ID, p.Part)
			}
			seen[key] = true
			if p.Lang != lang || p.Title == "" || p.Text == "" {
				t.Errorf("%s: passage %s has lang %q, title %q, %d bytes of text", lang, p.ID, p.Lang, p.Title, len(p.Text))
			}
			if m := corpus.MarkupLeft(p.Title + "\n" + p.Text); m != "" {
				t.Errorf("%s: %s still holds markup %q", lang, p.ID, m)
			}
			// The tables of contents, and the Prev/Up/Home/Next bars, stay out.
			if strings.Contains(p.Text, "Table of Contents") || strings.Contains(p.Text, "차례") {
				t.Errorf("%s: %s holds a table of contents", lang, p.ID)
			}
			for line := range strings.SplitSeq(p.Text, "\n") {
				if slices.Contains([]string{"Prev", "Next", "Up", "Home", "이전", "다음", "처음"}, strings.TrimSpace(line)) {
					t.Errorf("%s: %s holds the navigation line %q", lang, p.ID, line)
				}
			}
			if n := len(strings.Fields(p.Text)); n > SplitWords && len(corpus.Paragraphs(p.Text)) > 1 {
				t.Errorf("%s: %s part %d has %d words in several paragraphs, over SplitWords", lang, p.ID, p.Part, n)
			}
			if !slices.Contains(sections[lang], p.ID) {
				sections[lang] = append(sections[lang], p.ID)
			}
		}
		if len(sections[lang]) != 158 {
			t.Errorf("%s: %d sections, want 158", lang, len(sections[lang]))
		}
		i := slices.IndexFunc(ps, func(p Passage) bool { return p.ID == "basic-defs#pronunciation" })
		if i < 0 {
			t.Fatalf("%s: no basic-defs#pronunciation", lang)
		}
		if p := ps[i]; p.Number != "1.7" || !strings.Contains(p.Text, "Deb'-ee-en") {
			t.Errorf("%s: 1.7 is %+v", lang, p)
		}
	}
	if !slices.Equal(sections["en"], sections["ko"]) {
		t.Errorf("the English and Korean FAQ have different sections:\n%q\n%q", sections["en"], sections["ko"])
	}
}

// TestPassagesErrors checks that a bad language, a missing page and a
// corrupt page are errors that say what is wrong.
func TestPassagesErrors(t *testing.T) {
	if _, err := Passages("fr"); err == nil || !strings.Contains(err.Error(), `"fr"`) {
		t.Errorf("Passages(fr): %v", err)
	}
	if _, err := os.Stat("/usr/share/doc/debian/FAQ"); err == nil {
		t.Skip("this system has the FAQ installed, so no page can be missing")
	}
	dir := t.TempDir()
	t.Setenv(mlx.DataEnv, dir)
	t.Setenv("BAEUM_OFFLINE", "1")          // Debian's archive would be reached otherwise
	t.Setenv("XDG_CACHE_HOME", t.TempDir()) // no copy in the user's cache either
	t.Setenv("HOME", t.TempDir())
	if _, err := Passages("en"); err == nil || !strings.Contains(err.Error(), "debian-faq/en/basic-defs.en.html") ||
		!strings.Contains(err.Error(), "apt-get install debian-faq") {
		t.Errorf("missing page: %v", err)
	}
	page := filepath.Join(dir, "debian-faq", "en", "basic-defs.en.html")
	if err := os.MkdirAll(filepath.Dir(page), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(page, []byte(toyChapter), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Passages("en"); err == nil || !strings.Contains(err.Error(), "corrupt") {
		t.Errorf("corrupt page: %v", err)
	}
}

// ExamplePassages needs the data folder (BAEUM_DATA=../shared/data), so it
// is compiled but not run; TestPassages checks the same.
func ExamplePassages() {
	ps, err := Passages("en")
	if err != nil {
		fmt.Println(err)
		return
	}
	p := ps[6]
	fmt.Println(len(ps), p.ID, p.Number, p.Title) // 165 basic-defs#gnu 1.6 How does the Debian project fit in ...
}

func ExampleDocuments() {
	ps := []Passage{{ID: "basic-defs#pronunciation", Title: "How does one pronounce Debian?", Text: "Deb'-ee-en."}}
	fmt.Printf("%q\n", Documents(ps))
	// Output: ["How does one pronounce Debian?\n\nDeb'-ee-en."]
}
