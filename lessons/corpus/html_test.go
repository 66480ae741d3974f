package corpus

import (
	"slices"
	"strings"
	"testing"

	"github.com/baeum-go/baeum/mlx"
)

func TestHTMLToText(t *testing.T) {
	tests := []struct {
		name, html, want string
	}{
		{"empty", "", ""},
		{"plain text", "hello", "hello"},
		{"paragraphs", "<p>one</p><p>two</p>", "one\n\ntwo"},
		{"spaces collapse", "<p>  a \n\t b&nbsp;&nbsp;c </p>", "a b c"},
		{"inline elements join", "<p>Hello <b>wor</b>ld, <a href=x>link</a>!</p>", "Hello world, link!"},
		{"entities decoded", "<p>&lt;foo&gt; &amp; &#54620;&#xAD6D;</p>", "<foo> & 한국"},
		{"script and style dropped", "<script>var x = '<p>no</p>';</script><style>p{}</style><p>yes</p>", "yes"},
		{"head dropped", "<html><head><title>T</title></head><body><p>b</p></body></html>", "b"},
		{"nav header footer dropped", "<header>H</header><nav><a href=/>Home</a></nav><main><p>body</p></main><footer>F</footer>", "body"},
		{"FAQ navigation dropped", `<div class="navheader"><table><tr><td><a href="a.html">Prev</a></td></tr></table></div><p>text</p><div class="navfooter">Next</div>`, "text"},
		{"table of contents dropped", `<div class="toc"><p>Table of Contents</p><dl><dt>1. A</dt></dl></div><h1>1. A</h1>`, "1. A"},
		{"hidden dropped", `<p hidden>x</p><p aria-hidden="true">y</p><div role="navigation">z</div><p>ok</p>`, "ok"},
		{"list items", "<ul><li>one</li><li>two</li></ul>", "- one\n- two"},
		{"paragraph inside item", "<ul><li><p>one</p></li><li><p>two</p><p>more</p></li></ul>", "- one\n\n- two\n\nmore"},
		{"heading then text", "<h2>Title</h2>Body", "Title\n\nBody"},
		{"line break", "a<br>b<br/>c", "a\nb\nc"},
		{"pre keeps lines", "<pre>apt-get update\napt-get upgrade\n\n\nend</pre>", "apt-get update\napt-get upgrade\n\nend"},
		{"table cells", "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a b\nc"},
		{"definition list", "<dl><dt>term</dt><dd>meaning</dd></dl>", "term\nmeaning"},
		{"comments dropped", "<p>a<!-- <p>no</p> -->b</p>", "ab"},
		{"broken markup repaired", "<p>unclosed <b>bold<p>next", "unclosed bold\n\nnext"},
		{"images dropped", `<p><img src="prev.png" alt="Prev">text</p>`, "text"},
		{"empty blocks leave no blank lines", "<div><div></div><p> </p></div><p>x</p><div></div>", "x"},
		{"Korean", "<p>안녕하세요.</p><p>데비안 FAQ입니다.</p>", "안녕하세요.\n\n데비안 FAQ입니다."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := HTMLToText([]byte(tt.html)); got != tt.want {
				t.Errorf("HTMLToText(%q)\n got %q\nwant %q", tt.html, got, tt.want)
			}
		})
	}
}

func TestExtractLinks(t *testing.T) {
	page := `<a href="a.html">A</a><A HREF='b.html#x'>B</A><a name="anchor">no href</a>` +
		`<a href="">empty</a><link href="style.css"><img src="i.png"><a href="mailto:x@y">m</a><a href=c.html/>`
	want := []string{"a.html", "b.html#x", "mailto:x@y", "c.html/"}
	if got := ExtractLinks([]byte(page)); !slices.Equal(got, want) {
		t.Errorf("ExtractLinks = %q, want %q", got, want)
	}
}

func TestParagraphs(t *testing.T) {
	got := Paragraphs("a\n\n  \n\nb c\nd\n\n")
	if want := []string{"a", "b c\nd"}; !slices.Equal(got, want) {
		t.Errorf("Paragraphs = %q, want %q", got, want)
	}
}

// TestHTMLToTextOnFAQ runs on every real page: no markup and no navigation
// may be left, and the chapter title and paragraphs must be there.
func TestHTMLToTextOnFAQ(t *testing.T) {
	needData(t)
	pages := 0
	for _, rel := range mlx.DataFiles() {
		if !strings.HasPrefix(rel, "debian-faq/") {
			continue
		}
		b, err := mlx.ReadDataFile(rel)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		text := HTMLToText(b)
		if m := MarkupLeft(text); m != "" {
			t.Errorf("%s: markup left in the text: %q", rel, m)
		}
		// The navigation blocks hold these words alone on a line (as link
		// text or image alt text); in the content they are inside sentences.
		for _, line := range strings.Split(text, "\n") {
			switch strings.TrimSpace(line) {
			case "Prev", "Next", "Up", "Home", "Table of Contents", "이전", "다음", "위로", "처음", "차례":
				t.Errorf("%s: navigation line %q left in", rel, line)
			}
		}
		if strings.Contains(text, "background-repeat") {
			t.Errorf("%s: CSS from <style> left in", rel)
		}
		if n := len(Paragraphs(text)); n < 5 {
			t.Errorf("%s: only %d paragraphs", rel, n)
		}
	}
	if pages != 34 {
		t.Errorf("found %d FAQ pages, want 34 (17 in each language)", pages)
	}
	// A golden check on one page: the first lines of chapter 1.
	b, err := mlx.ReadDataFile("debian-faq/en/basic-defs.en.html")
	if err != nil {
		t.Fatal(err)
	}
	const head = "Chapter 1. Definitions and overview\n\n1.1. What is this FAQ?\n\nThis document gives frequently asked questions (with their answers!) about the Debian distribution"
	// The page ends with the footer "The Debian GNU/Linux FAQ | Chapter 2. ...":
	// the text must end with the last sentence of section 1.7 instead.
	const tail = "(Dictionaries seem to offer some ambiguity in the pronunciation of Ian (!), but Ian prefers ee'-en.)"
	got := HTMLToText(b)
	if !strings.HasPrefix(got, head) || !strings.HasSuffix(got, tail) {
		t.Errorf("basic-defs text:\nstarts %q\n  want %q\nends %q\n  want %q",
			got[:min(len(got), len(head))], head, got[max(0, len(got)-len(tail)):], tail)
	}
}

// needData skips a test that reads the data sets where they have no local copy
// (BAEUM_DATA, or the cache that `go run ./kernel data` fills).
func needData(t testing.TB) {
	t.Helper()
	if err := mlx.MissingData(); err != nil {
		t.Skip(err)
	}
}
