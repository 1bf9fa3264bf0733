//! Analysers: segmentation, normalisation, language, stop words, stemming.
