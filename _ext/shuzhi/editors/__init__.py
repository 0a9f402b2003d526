"""The shuzhi command for editors: import, new, check, check-tools, publish and release."""
