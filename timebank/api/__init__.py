def init_api(app, api):
    pass
