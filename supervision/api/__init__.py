"""The supervision API, one module per resource: its serializers, filters and viewsets."""
