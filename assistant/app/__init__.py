"""The Gradio web app: server start-up, the page shell and one module per tab."""
