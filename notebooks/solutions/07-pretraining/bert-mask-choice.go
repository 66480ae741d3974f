package solutions

import "github.com/baeum-go/baeum/lessons/pretrain"

// BertMaskChoice maps u, uniform in [0, 1), to BERT's 80/10/10 choice.
func BertMaskChoice(u float64) pretrain.MaskChoice {
	switch {
	case u < 0.8: // the first 80% of [0, 1)
		return pretrain.ToMask
	case u < 0.9: // the next 10%
		return pretrain.ToRandom
	}
	return pretrain.Unchanged // the last 10%
}
