// Package finetune is lesson 08: supervised fine-tuning of lesson 07's
// pretrained BERT (lessons/pretrain) on labelled examples.
package finetune
