"""The HTTP API: JSON endpoints, the OpenAI-compatible chat endpoint and the widget."""
