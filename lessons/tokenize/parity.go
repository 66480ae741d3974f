package tokenize

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/baeum-go/baeum/mlx"
)

// ReferenceTokenizers are the tokenizer.json files in testdata/, trained and
// encoded by the Hugging Face tokenizers library (testdata/make_reference.py).
var ReferenceTokenizers = []string{"bytelevel_bpe.json", "char_bpe.json", "wordpiece_cased.json", "wordpiece_uncased.json"}

// idDigest pins the ids of many lines: their number and a SHA-256 of them all.
type idDigest struct {
	Tokens int    `json:"tokens"`
	SHA256 string `json:"sha256"`
}

// reference is testdata/reference.json: what the library produced.
type reference struct {
	TokenizersVersion string              `json:"tokenizers_version"`
	VocabSizes        map[string]int      `json:"vocab_sizes"`
	CorpusIDs         map[string]idDigest `json:"corpus_ids"`
	// CorpusIDsDerived is the same for the corpus derived from NSMC's
	// canonical files, where the shared data folder is absent (mlx.IsDerived).
	CorpusIDsDerived map[string]idDigest `json:"corpus_ids_derived"`
	Cases            []struct {
		Tokenizer string   `json:"tokenizer"`
		Text      *string  `json:"text"`
		BytesHex  string   `json:"bytes_hex"`
		IDs       []int    `json:"ids"`
		Tokens    []string `json:"tokens"`
		Decoded   *string  `json:"decoded"`
	} `json:"cases"`
	GPT2Pretokens []struct {
		TextHex   string   `json:"text_hex"`
		PiecesHex []string `json:"pieces_hex"`
	} `json:"gpt2_pretokens"`
}

func loadReference(dir string) (*reference, error) {
	data, err := os.ReadFile(filepath.Join(dir, "reference.json"))
	if err != nil {
		return nil, fmt.Errorf("tokenize: %w", err)
	}
	var ref reference
	if err := json.Unmarshal(data, &ref); err != nil {
		return nil, fmt.Errorf("tokenize: %s/reference.json: %w", dir, err)
	}
	return &ref, nil
}

// Parity is how this package's encoding of the reference tokenizer.json
// files compares with the Hugging Face tokenizers library's.
type Parity struct {
	TokenizersVersion string
	Cases, Matched    int      // test strings (x tokenizers) and how many gave identical ids, tokens and text
	CorpusTokens      int      // ids compared through the SHA-256 of a held-out corpus (0 if not asked)
	CorpusMatched     int      // tokenizers whose corpus ids matched the library's
	Mismatches        []string // what differed, one line each
}

func (p Parity) String() string {
	s := fmt.Sprintf("tokenizers %s: %d of %d reference cases identical (ids, tokens, decoded text)",
		p.TokenizersVersion, p.Matched, p.Cases)
	if p.CorpusTokens > 0 {
		s += fmt.Sprintf("; held-out corpus: %d ids, SHA-256 identical for %d of %d tokenizers",
			p.CorpusTokens, p.CorpusMatched, len(ReferenceTokenizers))
	}
	return s
}

// HeldOutLines are the corpus lines the reference tokenizers never saw:
// Korean reviews 100,000-120,000 and Shakespeare lines 20,000-40,000.
func HeldOutLines() ([]string, error) {
	ko, err := Corpus("ko", 0)
	if err != nil {
		return nil, err
	}
	en, err := Corpus("en", 0)
	if err != nil {
		return nil, err
	}
	kl, el := strings.Split(ko, "\n"), strings.Split(en, "\n")
	if len(kl) < 120000 || len(el) < 40000 {
		return nil, fmt.Errorf("tokenize: corpora too short (%d Korean, %d English lines)", len(kl), len(el))
	}
	return append(slices.Clone(kl[100000:120000]), el[20000:40000]...), nil
}

// CheckParity encodes every reference case with the tokenizer.json files in
// dir and compares ids, tokens and decoded text with the library's; with
// corpus lines (HeldOutLines) it also compares the SHA-256 of all their ids.
func CheckParity(dir string, corpus []string) (*Parity, error) {
	ref, err := loadReference(dir)
	if err != nil {
		return nil, err
	}
	p := &Parity{TokenizersVersion: ref.TokenizersVersion}
	toks := map[string]*HFTokenizer{}
	for _, name := range ReferenceTokenizers {
		if toks[name], err = LoadHF(filepath.Join(dir, name)); err != nil {
			return nil, err
		}
		if got, want := toks[name].VocabSize(), ref.VocabSizes[name]; got != want {
			p.Mismatches = append(p.Mismatches, fmt.Sprintf("%s: vocabulary size %d, library %d", name, got, want))
		}
	}
	for _, c := range ref.Cases {
		tok := toks[c.Tokenizer]
		if tok == nil {
			return nil, fmt.Errorf("tokenize: reference case for unknown tokenizer %q", c.Tokenizer)
		}
		p.Cases++
		if diff := compareCase(tok, c.Text, c.BytesHex, c.IDs, c.Tokens, c.Decoded); diff != "" {
			p.Mismatches = append(p.Mismatches, c.Tokenizer+": "+diff)
			continue
		}
		p.Matched++
	}
	if len(corpus) > 0 {
		refs := mlx.Golden(corpusFiles["ko"], ref.CorpusIDs, ref.CorpusIDsDerived)
		for _, name := range ReferenceTokenizers {
			n, sum := corpusIDHash(toks[name], corpus)
			p.CorpusTokens += n
			if want := refs[name]; n == want.Tokens && sum == want.SHA256 {
				p.CorpusMatched++
			} else {
				p.Mismatches = append(p.Mismatches, fmt.Sprintf("%s: corpus gave %d ids (SHA-256 %.12s), library %d (%.12s)",
					name, n, sum, want.Tokens, want.SHA256))
			}
		}
	}
	return p, nil
}

// compareCase returns "" when tok reproduces the library on one case.
func compareCase(tok *HFTokenizer, text *string, bytesHex string, ids []int, tokens []string, decoded *string) string {
	if text == nil { // invalid UTF-8: only ids are known
		b, err := hex.DecodeString(bytesHex)
		if err != nil {
			return "bad hex " + bytesHex
		}
		if got := tok.Encode(string(b)); !slices.Equal(got, ids) {
			return fmt.Sprintf("Encode(%q) = %v, library %v", b, got, ids)
		}
		return ""
	}
	got := tok.Encode(*text)
	if !slices.Equal(got, ids) {
		return fmt.Sprintf("Encode(%q) = %v, library %v", *text, got, ids)
	}
	var toks []string
	for _, id := range got {
		toks = append(toks, tok.Token(id))
	}
	if !slices.Equal(toks, tokens) {
		return fmt.Sprintf("tokens of %q = %q, library %q", *text, toks, tokens)
	}
	if d := tok.Decode(got); decoded != nil && d != *decoded {
		return fmt.Sprintf("Decode(Encode(%q)) = %q, library %q", *text, d, *decoded)
	}
	return ""
}

// corpusIDHash is the SHA-256 of the ids of lines, written as
// make_reference.py writes them: ids joined by ",", lines by "\n".
func corpusIDHash(tok *HFTokenizer, lines []string) (int, string) {
	h := sha256.New()
	var buf []byte
	n := 0
	for i, l := range lines {
		buf = buf[:0]
		if i > 0 {
			buf = append(buf, '\n')
		}
		for j, id := range tok.EncodeNoTemplate(l) {
			if j > 0 {
				buf = append(buf, ',')
			}
			buf = strconv.AppendInt(buf, int64(id), 10)
			n++
		}
		h.Write(buf)
	}
	return n, hex.EncodeToString(h.Sum(nil))
}
