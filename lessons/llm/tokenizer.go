package llm

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/baeum-go/baeum/lessons/tokenize"
)

// A GGUF file carries its tokenizer as metadata, the same pieces as a
// Hugging Face tokenizer.json in other clothes:
//
//	tokenizer.ggml.model       "gpt2": byte-level BPE, as in lesson 02
//	tokenizer.ggml.tokens      the vocabulary, id -> token (49,152 for SmolLM2)
//	tokenizer.ggml.merges      "a b" per merge, in rank order (48,900)
//	tokenizer.ggml.token_type  1 normal, 3 control (special), 4 user-defined, ...
//	tokenizer.ggml.pre         which pre-tokenizer: "smollm"
//	tokenizer.ggml.bos_token_id, eos_token_id, padding_token_id
//	tokenizer.chat_template    a Jinja template for chat prompts
//
// Tokenizer writes these pieces as a tokenizer.json in memory and hands it to
// lesson 02's loader (tokenize.ParseHF), so no tokenizer code is repeated
// here.

// GGUF token types (llama.cpp's llama_token_type).
const (
	tokenControl     = 3 // special: <|im_start|>, <|endoftext|>, ...
	tokenUserDefined = 4
)

// preTokenizers maps tokenizer.ggml.pre to the tokenizer.json pre-tokenizer
// that Hugging Face uses for those models. llama.cpp's "smollm" is \p{N}
// (each digit alone) then GPT-2's pattern, which is HF's Digits(individual)
// then ByteLevel.
var preTokenizers = map[string]any{
	"gpt-2": map[string]any{"type": "ByteLevel", "add_prefix_space": false, "use_regex": true},
	"smollm": map[string]any{"type": "Sequence", "pretokenizers": []any{
		map[string]any{"type": "Digits", "individual_digits": true},
		map[string]any{"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true},
	}},
}

// Tokenizer is the tokenizer of a GGUF model: lesson 02's
// tokenize.HFTokenizer (Encode, Decode, Token, ID, VocabSize), its special
// token ids and the chat template.
type Tokenizer struct {
	*tokenize.HFTokenizer
	BOS, EOS, Pad int
	// ChatTemplate is tokenizer.chat_template as stored; DefaultSystem is the
	// system prompt that it adds when the chat does not start with one.
	ChatTemplate  string
	DefaultSystem string
}

// Tokenizer builds the model's tokenizer from the file's metadata.
// Encode(text) cuts special tokens such as <|im_start|> out of the text
// first, each one id; Decode skips them, as the tokenizers library does by
// default (Token(id) shows them).
func (f *File) Tokenizer() (*Tokenizer, error) {
	model, err := f.String("tokenizer.ggml.model")
	if err != nil {
		return nil, err
	}
	if model != "gpt2" {
		return nil, fmt.Errorf("llm: %s: tokenizer.ggml.model is %q; this lesson reads byte-level BPE (\"gpt2\") only", f.Path, model)
	}
	pre, err := f.String("tokenizer.ggml.pre")
	if err != nil {
		return nil, err
	}
	preTok, ok := preTokenizers[pre]
	if !ok {
		return nil, fmt.Errorf("llm: %s: tokenizer.ggml.pre is %q; this lesson knows \"smollm\" and \"gpt-2\"", f.Path, pre)
	}
	tokens, err := f.Strings("tokenizer.ggml.tokens")
	if err != nil {
		return nil, err
	}
	merges, err := f.Strings("tokenizer.ggml.merges")
	if err != nil {
		return nil, err
	}
	types, ok := f.Meta["tokenizer.ggml.token_type"].([]int32)
	if !ok || len(types) != len(tokens) {
		return nil, fmt.Errorf("llm: %s: tokenizer.ggml.token_type must be an int32 array with one entry per token (%d)", f.Path, len(tokens))
	}

	// The tokenizer.json that Hugging Face would ship for this model.
	vocab := make(map[string]int, len(tokens))
	var added []map[string]any
	for id, tok := range tokens {
		vocab[tok] = id
		if types[id] == tokenControl || types[id] == tokenUserDefined {
			added = append(added, map[string]any{"id": id, "content": tok, "special": types[id] == tokenControl})
		}
	}
	hfJSON, err := json.Marshal(map[string]any{
		"added_tokens":  added,
		"pre_tokenizer": preTok,
		"model":         map[string]any{"type": "BPE", "vocab": vocab, "merges": merges},
		"decoder":       map[string]any{"type": "ByteLevel"},
	})
	if err != nil {
		return nil, fmt.Errorf("llm: %s: %w", f.Path, err)
	}
	hf, err := tokenize.ParseHF(hfJSON)
	if err != nil {
		return nil, fmt.Errorf("llm: %s: the tokenizer in the metadata: %w", f.Path, err)
	}

	t := &Tokenizer{HFTokenizer: hf}
	for _, id := range []struct {
		key string
		to  *int
	}{{"tokenizer.ggml.bos_token_id", &t.BOS}, {"tokenizer.ggml.eos_token_id", &t.EOS}, {"tokenizer.ggml.padding_token_id", &t.Pad}} {
		if *id.to, err = f.Int(id.key); err != nil {
			return nil, err
		}
		if *id.to < 0 || *id.to >= len(tokens) {
			return nil, fmt.Errorf("llm: %s: %s is %d, outside the %d tokens", f.Path, id.key, *id.to, len(tokens))
		}
	}
	if tmpl, err := f.String("tokenizer.chat_template"); err == nil {
		t.ChatTemplate = tmpl
		t.DefaultSystem = defaultSystem(tmpl)
	}
	return t, nil
}

// Message is one turn of a chat: Role is "system", "user" or "assistant".
type Message struct {
	Role, Content string
}

// ChatPrompt writes a chat as the model was fine-tuned to read it, following
// the file's chat template (see ChatML).
func (t *Tokenizer) ChatPrompt(messages []Message, addGenerationPrompt bool) string {
	return ChatML(messages, t.DefaultSystem, addGenerationPrompt)
}

// ChatML writes a chat in the ChatML format of SmolLM2's chat template, by
// hand instead of running its Jinja code. The template
//
//	{% for message in messages %}
//	  {% if loop.first and messages[0]['role'] != 'system' %}
//	    <|im_start|>system\n{default system prompt}<|im_end|>\n
//	  {% endif %}
//	  <|im_start|>{role}\n{content}<|im_end|>\n
//	{% endfor %}
//	{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}
//
// puts each message between <|im_start|>role and <|im_end|>, adds the default
// system prompt ("" for none) when the first message is not a system one
// (and only if there are messages at all), and with addGenerationPrompt opens
// the assistant's turn so that the model writes the reply.
//
//	ChatML([{user Hi}], "Be brief.", true) ->
//	"<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"
func ChatML(messages []Message, defaultSystem string, addGenerationPrompt bool) string {
	var b strings.Builder
	turn := func(role, content string) {
		b.WriteString("<|im_start|>" + role + "\n" + content + "<|im_end|>\n")
	}
	for i, m := range messages {
		if i == 0 && m.Role != "system" && defaultSystem != "" {
			turn("system", defaultSystem)
		}
		turn(m.Role, m.Content)
	}
	if addGenerationPrompt {
		b.WriteString("<|im_start|>assistant\n")
	}
	return b.String()
}

// defaultSystem finds the default system prompt in a ChatML template: the
// text between "<|im_start|>system\n" and "<|im_end|>" inside a string
// literal of the template ("" if there is none).
func defaultSystem(tmpl string) string {
	const start = "'<|im_start|>system\n"
	_, rest, ok := strings.Cut(tmpl, start)
	if !ok {
		return ""
	}
	prompt, _, ok := strings.Cut(rest, "<|im_end|>")
	if !ok || strings.Contains(prompt, "'") {
		return ""
	}
	return prompt
}
