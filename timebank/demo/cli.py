import click


@click.command("demo")
def demo_command():
    pass


@click.command("seed")
def seed_command():
    pass
