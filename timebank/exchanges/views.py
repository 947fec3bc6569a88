from flask import Blueprint

bp = Blueprint("exchanges", __name__)
