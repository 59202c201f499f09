from docuforge.cli import app

app(prog_name="docuforge")
