"""elternkit."""
