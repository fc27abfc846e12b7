module "sg" {
  source = "./modules/sg"
  cidrs  = ["0.0.0.0/0"]
}
