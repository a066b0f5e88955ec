# gunicorn settings: the deployment's bind and worker count.
bind = "0.0.0.0:5005"
workers = 2
accesslog = "-"
