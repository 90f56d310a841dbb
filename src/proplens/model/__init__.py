"""The detector's model: windowing, decoding, runtime (onnxruntime), training and export.

Inference (``runtime``, ``windowing``, ``decode``, ``features``) needs only numpy,
tokenizers and onnxruntime. Training and export (``network``, ``train``,
``export``) need the ``[train]`` extra (torch, transformers) and import it lazily.
"""
