package llm

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/baeum-go/baeum/lessons/tokenize"
)

// smolTemplate is SmolLM2's tokenizer.chat_template with another default
// system prompt.
const smolTemplate = "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}" +
	"{{ '<|im_start|>system\nBe brief.<|im_end|>\n' }}{% endif %}{{'<|im_start|>' + message['role'] + '\n' + " +
	"message['content'] + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"

// tinyTokenizerMeta is a GGUF tokenizer small enough to check by hand: three
// control tokens (ids 0-2), the 256 bytes (ids 3-258, byte b is id 3+b) and
// two merges, "h i" -> "hi" (259) and "Ġ hi" -> "Ġhi" (260).
func tinyTokenizerMeta() []tinyKV {
	tokens := []string{"<|endoftext|>", "<|im_start|>", "<|im_end|>"}
	types := []int32{3, 3, 3}
	for b := range 256 {
		tokens = append(tokens, tokenize.ByteLevelString(string([]byte{byte(b)})))
		types = append(types, 1)
	}
	tokens = append(tokens, "hi", "Ġhi")
	types = append(types, 1, 1)
	return []tinyKV{
		{"tokenizer.ggml.model", "gpt2"}, {"tokenizer.ggml.pre", "smollm"},
		{"tokenizer.ggml.tokens", tokens}, {"tokenizer.ggml.token_type", types},
		{"tokenizer.ggml.merges", []string{"h i", "Ġ hi"}},
		{"tokenizer.ggml.bos_token_id", uint32(1)}, {"tokenizer.ggml.eos_token_id", uint32(2)},
		{"tokenizer.ggml.padding_token_id", uint32(2)}, {"tokenizer.chat_template", smolTemplate},
	}
}

// TestTinyTokenizer: special tokens are cut out first, digits stand alone,
// then GPT-2's split and the two merges.
func TestTinyTokenizer(t *testing.T) {
	f, err := Open(writeTiny(t, tinySpec{meta: tinyTokenizerMeta()}))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := f.Tokenizer()
	if err != nil {
		t.Fatal(err)
	}
	const text = "<|im_start|>hi hi 12<|im_end|>"
	// "hi hi 12" -> Digits: "hi hi ", "1", "2" -> GPT-2: "hi", " hi", " ", "1", "2"
	want := []int{1, 259, 260, 3 + ' ', 3 + '1', 3 + '2', 2}
	if got := tok.Encode(text); !slices.Equal(got, want) {
		t.Errorf("Encode(%q) = %v, want %v", text, got, want)
	}
	if got := tok.Decode(want); got != "hi hi 12" {
		t.Errorf("Decode = %q (special tokens are skipped)", got)
	}
	if tok.BOS != 1 || tok.EOS != 2 || tok.Pad != 2 || tok.Token(260) != "Ġhi" || tok.VocabSize() != 261 || tok.DefaultSystem != "Be brief." {
		t.Errorf("BOS %d EOS %d Pad %d, Token(260) %q, VocabSize %d, DefaultSystem %q",
			tok.BOS, tok.EOS, tok.Pad, tok.Token(260), tok.VocabSize(), tok.DefaultSystem)
	}
}

// TestTokenizerErrors: missing or unsupported metadata gives an error that
// names the key and the file.
func TestTokenizerErrors(t *testing.T) {
	with := func(key string, value any) []tinyKV {
		var out []tinyKV
		for _, kv := range tinyTokenizerMeta() {
			if kv.key == key {
				if value == nil {
					continue
				}
				kv.value = value
			}
			out = append(out, kv)
		}
		return out
	}
	tests := []struct {
		meta []tinyKV
		want string
	}{
		{with("tokenizer.ggml.model", "llama"), `tokenizer.ggml.model is "llama"`},
		{with("tokenizer.ggml.pre", "qwen2"), `tokenizer.ggml.pre is "qwen2"`},
		{with("tokenizer.ggml.merges", nil), `no metadata key "tokenizer.ggml.merges"`},
		{with("tokenizer.ggml.merges", []string{"h x"}), `merges[0] makes "hx"`},
		{with("tokenizer.ggml.token_type", []int32{1}), "one entry per token"},
		{with("tokenizer.ggml.eos_token_id", uint32(5000)), "tokenizer.ggml.eos_token_id is 5000"},
		{with("tokenizer.ggml.bos_token_id", "1"), "holds a string"},
	}
	for _, tt := range tests {
		path := writeTiny(t, tinySpec{meta: tt.meta})
		f, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Tokenizer(); err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), path) {
			t.Errorf("err = %v, want one containing %q and the path", err, tt.want)
		}
	}
}

func TestChatML(t *testing.T) {
	user := Message{"user", "Hi"}
	tests := []struct {
		messages []Message
		gen      bool
		want     string
	}{
		{[]Message{user}, true, "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"},
		{[]Message{{"system", "S"}, user}, false, "<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n"},
		{nil, true, "<|im_start|>assistant\n"}, // no messages: no default system prompt either
		{nil, false, ""},
	}
	for _, tt := range tests {
		if got := ChatML(tt.messages, "Be brief.", tt.gen); got != tt.want {
			t.Errorf("ChatML(%v, %v) = %q, want %q", tt.messages, tt.gen, got, tt.want)
		}
	}
	if got := defaultSystem(smolTemplate); got != "Be brief." {
		t.Errorf("defaultSystem = %q", got)
	}
	if got := defaultSystem("{{ messages }}"); got != "" {
		t.Errorf("defaultSystem of a template without one = %q", got)
	}
}

// ---- the real model's tokenizer ----

var realTokenizer = sync.OnceValues(func() (*Tokenizer, error) {
	f, err := openReal()
	if err != nil {
		return nil, err
	}
	return f.Tokenizer()
})

// smolTokenizer returns SmolLM2's tokenizer, or skips without the file.
func smolTokenizer(t *testing.T) *Tokenizer {
	t.Helper()
	realFile(t)
	tok, err := realTokenizer()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// TestSmolLM2Tokens compares ids and decoded text with the tokenizers
// library (testdata/tokens.json, made by testdata/make_tokens.py), and chat
// prompts with the file's chat template rendered by jinja2.
func TestSmolLM2Tokens(t *testing.T) {
	tok := smolTokenizer(t)
	data, err := os.ReadFile("testdata/tokens.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		VocabSize int `json:"vocab_size"`
		Tokens    []struct {
			Text, Decoded string
			IDs           []int
		}
		Chat []struct {
			Messages            []Message
			AddGenerationPrompt bool `json:"add_generation_prompt"`
			Text                string
			IDs                 []int
		}
	}
	if err := json.Unmarshal(data, &ref); err != nil {
		t.Fatal(err)
	}
	if len(ref.Tokens) < 10 || len(ref.Chat) < 3 || tok.VocabSize() != ref.VocabSize {
		t.Fatalf("%d texts, %d chats; vocabulary %d, want %d", len(ref.Tokens), len(ref.Chat), tok.VocabSize(), ref.VocabSize)
	}
	for _, r := range ref.Tokens {
		ids := tok.Encode(r.Text)
		if !slices.Equal(ids, r.IDs) {
			t.Errorf("Encode(%q) =\n%v, want\n%v", r.Text, ids, r.IDs)
		}
		if got := tok.Decode(ids); got != r.Decoded {
			t.Errorf("Decode(Encode(%q)) = %q, want %q", r.Text, got, r.Decoded)
		}
	}
	for _, c := range ref.Chat {
		text := tok.ChatPrompt(c.Messages, c.AddGenerationPrompt)
		if text != c.Text {
			t.Errorf("ChatPrompt(%v, %v) =\n%q, want\n%q", c.Messages, c.AddGenerationPrompt, text, c.Text)
		}
		if ids := tok.Encode(text); !slices.Equal(ids, c.IDs) {
			t.Errorf("Encode(%q) =\n%v, want\n%v", text, ids, c.IDs)
		}
	}
	for id, s := range []string{"<|endoftext|>", "<|im_start|>", "<|im_end|>"} {
		if got := tok.Encode(s); !slices.Equal(got, []int{id}) || tok.Token(id) != s {
			t.Errorf("Encode(%q) = %v, Token(%d) = %q", s, got, id, tok.Token(id))
		}
	}
	if tok.BOS != 1 || tok.EOS != 2 || tok.DefaultSystem != "You are a helpful AI assistant named SmolLM, trained by Hugging Face" {
		t.Errorf("BOS %d, EOS %d, DefaultSystem %q", tok.BOS, tok.EOS, tok.DefaultSystem)
	}
}

// TestSmolLM2Reference checks the token ids and chat prompts in
// testdata/reference.json, which the model's parity tests use (made with
// Hugging Face transformers' GGUF loader and apply_chat_template), when
// that file is there.
func TestSmolLM2Reference(t *testing.T) {
	tok := smolTokenizer(t)
	data, err := os.ReadFile("testdata/reference.json")
	if os.IsNotExist(err) {
		t.Skip("no testdata/reference.json")
	}
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Tokens []struct {
			Text string
			IDs  []int
		}
		Chat []struct {
			Messages []Message
			Text     string
			IDs      []int
		}
	}
	if err := json.Unmarshal(data, &ref); err != nil {
		t.Fatal(err)
	}
	if len(ref.Tokens) == 0 {
		t.Fatal(`testdata/reference.json has no "tokens" list of {text, ids}`)
	}
	for _, r := range ref.Tokens {
		if ids := tok.Encode(r.Text); !slices.Equal(ids, r.IDs) {
			t.Errorf("Encode(%q) =\n%v, want\n%v", r.Text, ids, r.IDs)
		}
	}
	for _, c := range ref.Chat { // rendered with add_generation_prompt=True
		if text := tok.ChatPrompt(c.Messages, true); text != c.Text {
			t.Errorf("ChatPrompt(%v) =\n%q, want\n%q", c.Messages, text, c.Text)
		}
		if ids := tok.Encode(c.Text); !slices.Equal(ids, c.IDs) {
			t.Errorf("Encode(%q) =\n%v, want\n%v", c.Text, ids, c.IDs)
		}
	}
}
